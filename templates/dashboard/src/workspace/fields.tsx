/**
 * The parts of the workspace's forms: reading a dropped or picked file as
 * text, a field with its label and the server's problem next to it, and the
 * statement problems that belong to no form field (listed by line).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { StatementCheck } from '../api/types.js';

export type Issue = StatementCheck['issues'][number];

/** The form field a statement problem belongs to (the front matter's names). */
const FIELD_OF: Record<string, string> = {
  subject: 'subject',
  meeting: 'meeting',
  deadline: 'deadline',
  language: 'language',
  from: 'from',
  'from.address': 'from',
  'from.name': 'from',
  signatories: 'signatories',
  postalAddress: 'postalAddress',
};

export const fieldOf = (issue: Issue) => FIELD_OF[issue.field.split('[')[0] ?? ''];

/** A labelled control with its problem (if any) said next to it and tied to it by aria-describedby. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  issues?: Issue[];
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const errId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const bad = props.issues?.length ? props.issues : undefined;
  const describedBy = [props.hint ? hintId : '', bad ? errId : ''].filter(Boolean).join(' ');
  return (
    <div class={bad ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children(describedBy || undefined, !!bad)}
      {props.hint ? (
        <span class="hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
      {bad ? (
        <span class="error" id={errId}>
          {bad.map((i) => i.message).join('; ')}
        </span>
      ) : null}
    </div>
  );
}

/** Reads a picked or dropped file as text (UTF-8; the server works out other encodings from bytes it is sent as text). */
export function readFile(file: File): Promise<string> {
  return file.text();
}

/**
 * A file picker that is also a drop zone: drag a file onto it or choose one
 * with the keyboard. Calls `onFile` with its name and text.
 */
export function FileDrop(props: {
  id: string;
  label: string;
  accept: string;
  onFile: (name: string, text: string, size: number) => void;
}) {
  const [over, setOver] = useState(false);
  const take = async (f: File | undefined) => {
    if (f) props.onFile(f.name, await readFile(f), f.size);
  };
  return (
    <div
      class={over ? 'drop over' : 'drop'}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void take(e.dataTransfer?.files[0]);
      }}
    >
      <label for={props.id}>{props.label}</label>{' '}
      <input
        id={props.id}
        type="file"
        accept={props.accept}
        onChange={(e) => void take((e.target as HTMLInputElement).files?.[0])}
      />
      <span class="hint"> or drop the file here</span>
    </div>
  );
}
