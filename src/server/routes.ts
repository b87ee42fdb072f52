/** Every module's routes under /api/v1; a new module adds one line here. */
import type { AwnApp } from './app.js';

export async function moduleRoutes(app: AwnApp): Promise<void> {
  void app;
}
