/** A tiny observable value, the base of the editor store and each tool's state machine. */

export class Observable<S> {
  private listeners = new Set<() => void>();

  constructor(protected state: S) {}

  getState = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected setState(next: S): void {
    if (next === this.state) return;
    this.state = next;
    this.listeners.forEach((l) => l());
  }
}
