/** The one modal dialog: a native <dialog> opened with showModal(), so the page behind is inert
 * and Escape closes it; focus moves in on open, Tab wraps inside, and returns to the opener. */
import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

interface Props {
  /** The accessible name, read out when the dialog opens. */
  label: string;
  /** Escape, a click on the backdrop, or a close button: the owner unmounts the dialog. */
  onClose: () => void;
  className?: string;
  children: ReactNode;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), '
  + 'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

export function Dialog({ label, onClose, className, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // an element marked data-autofocus (e.g. Close, rather than a button that changes things) first
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(dialog)[0] ?? dialog;
    first.focus();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus({ preventScroll: true });
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    // the page behind is inert, but Tab would still leave for the browser's own controls
    const list = focusables(ref.current);
    const [head, tail] = [list[0], list[list.length - 1]];
    if (!head || !tail) return;
    const active = document.activeElement;
    if (e.shiftKey && (active === head || active === ref.current)) {
      e.preventDefault();
      tail.focus();
    } else if (!e.shiftKey && active === tail) {
      e.preventDefault();
      head.focus();
    }
  };

  return (
    <dialog ref={ref} className={`modal ${className ?? ''}`} aria-label={label} tabIndex={-1}
      onCancel={(e) => {
        // Escape: the owner decides (it unmounts us); the native close would desync its state
        e.preventDefault();
        close.current();
      }}
      onClose={() => close.current()}
      onKeyDown={onKeyDown}
      onClick={(e) => {
        if (e.target === ref.current) close.current();
      }}>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
