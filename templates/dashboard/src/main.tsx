/**
 * Entry point of the dashboard bundle (scripts/build-dashboard.ts builds it
 * into dist/app.js and dist/app.css). The page's CSP allows scripts from its
 * own origin only and no eval; Preact renders every value as text.
 */
import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import '../app.css';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) render(<App />, root);
