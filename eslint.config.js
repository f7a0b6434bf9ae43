import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'cdk.out', 'cdk.out.*', '.demarche', 'bench/results.json', 'dist', 'scratch', 'preview', 'templates/dashboard/dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Refusing control characters (CR/LF injection) is the point of those expressions.
      'no-control-regex': 'off',
    },
  },
);
