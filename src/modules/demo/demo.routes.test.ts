import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { roles } from '../../shared/roles.js';
import type { AwnApp } from '../../server/app.js';
import { demoPassword } from './demo.users.js';

describeEachDialect('GET /demo/logins', (storage) => {
  let demo: AwnApp;
  let plain: AwnApp;
  beforeAll(async () => {
    demo = await buildTestApp(storage(), { demo: true });
    plain = await buildTestApp(storage());
  });
  afterAll(async () => {
    await demo.close();
    await plain.close();
  });

  it('lists one account per role on a demo server, signed out', async () => {
    const answer = await demo.inject({ method: 'GET', url: '/api/v1/demo/logins' });
    expect(answer.statusCode).toBe(200);
    const { items } = answer.json<{
      items: { role: string; username: string; password: string }[];
    }>();
    expect(items.map((item) => item.role)).toEqual([...roles]);
    expect(items.find((item) => item.role === 'outlet_clerk')).toEqual({
      role: 'outlet_clerk',
      username: 'outlet-clerk',
      password: demoPassword,
    });
  });

  it('lists none on a server not started with --demo', async () => {
    const answer = await plain.inject({ method: 'GET', url: '/api/v1/demo/logins' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ items: [] });
    expect(answer.body).not.toContain(demoPassword);
  });
});
