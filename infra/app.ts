import { App } from 'aws-cdk-lib';
import { DemarcheStack } from './stack.js';

const app = new App();
new DemarcheStack(app, 'Demarche');
app.synth();
