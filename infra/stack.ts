import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Storage } from './storage.js';

/** The demarche stack: one construct per concern. */
export class DemarcheStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    new Storage(this, 'Storage');
  }
}
