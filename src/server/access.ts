/** Placeholder until the auth module lands: every route must declare its access. */
import type { AwnApp } from './app.js';

export function registerAccess(app: AwnApp): void {
  void app;
}
