/** Small components used on every page. Text only: nothing here sets HTML. */
import type { ComponentChildren, Ref } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { formatWhen } from '../format/time.js';
import { useZone } from './context.js';

/** A time with its zone, "14 Dec 2026, 09:00 Brussels", machine-readable in `datetime`. */
export function When(props: { at?: string | number; weekday?: boolean }) {
  const zone = useZone();
  if (props.at === undefined || props.at === '') return null;
  const iso = typeof props.at === 'number' ? new Date(props.at).toISOString() : props.at;
  return <time dateTime={iso}>{formatWhen(props.at, zone, { weekday: props.weekday })}</time>;
}

/** A failed load or action, in words, where it happened. */
export function Problem(props: { error?: Error | string; id?: string }) {
  if (!props.error) return null;
  const text = typeof props.error === 'string' ? props.error : props.error.message;
  return (
    <p class="error" role="alert" id={props.id}>
      {text}
    </p>
  );
}

/**
 * A box that scrolls sideways inside itself when its table is wider than the
 * screen, so the page never does. Focusable, so keyboard users can scroll it.
 */
export function ScrollBox(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}

/**
 * A modal dialog (the browser's own <dialog>: focus stays inside, Escape
 * closes it); when it closes, focus goes back to what opened it.
 */
export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  id?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  // Opened and closed as soon as the page renders (not after paint): an action confirmed in
  // the dialog closes it before its request starts, so focus can then go to the action's result.
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
    } else if (!props.open && d.open) {
      d.close();
    }
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      id={props.id}
      aria-labelledby={`${props.id ?? 'dialog'}-title`}
      onClose={() => {
        props.onClose();
        const back = opener.current;
        if (back instanceof HTMLElement && back.isConnected) back.focus();
      }}
    >
      <h2 id={`${props.id ?? 'dialog'}-title`}>{props.title}</h2>
      {props.open ? props.children : null}
    </dialog>
  );
}

/** A heading that can take focus (tabindex -1), so a page or panel can move focus to it. */
export function FocusHeading(props: {
  level: 1 | 2 | 3;
  id?: string;
  hRef?: Ref<HTMLHeadingElement>;
  children: ComponentChildren;
}) {
  const Tag = `h${props.level}` as 'h1';
  return (
    <Tag id={props.id} ref={props.hRef} tabIndex={-1} class="focus-heading">
      {props.children}
    </Tag>
  );
}
