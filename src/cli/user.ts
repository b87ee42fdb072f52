/** `awn user create`: the password comes from a hidden prompt or from standard input. */
import { createInterface } from 'node:readline';
import type { Storage } from '../db/connect.js';
import { systemActor } from '../domain/actor.js';
import { createUser } from '../modules/users/users.service.js';
import { isRole } from '../shared/roles.js';
import { systemClock } from '../shared/clock.js';

export async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const prompt = createInterface({
        input: process.stdin,
        output: process.stdout,
        terminal: true,
      });
      // Hide what is typed: print the prompt once, then swallow echoed characters.
      const output = prompt as unknown as { _writeToOutput: (text: string) => void };
      output._writeToOutput = (text: string) => {
        if (text.includes(question)) process.stdout.write(question);
      };
      prompt.question(question, (answer) => {
        prompt.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

export async function createUserCommand(
  storage: Storage,
  options: {
    username: string;
    role: string;
    displayName?: string;
    scope: string[];
    password: string;
  },
): Promise<number> {
  if (!isRole(options.role)) throw new Error(`unknown role ${options.role}`);
  const user = await createUser(
    storage,
    systemActor,
    {
      username: options.username,
      displayName: options.displayName ?? options.username,
      role: options.role,
      password: options.password,
      scope: options.scope,
    },
    systemClock,
  );
  console.log(`Created ${user.role} ${user.username} (${user.id}).`);
  return 0;
}
