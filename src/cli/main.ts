/** The `awn` command: every subcommand calls the same services as the HTTP routes. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { connect, defaultDatabase, type Storage } from '../db/connect.js';
import { loadShippedAreasIfEmpty } from '../modules/areas/areas.service.js';
import { defaultHashingLimits } from '../modules/auth/password.js';
import { AppError, ValidationError } from '../shared/errors.js';
import { roles } from '../shared/roles.js';
import { backup } from './backup.js';
import { serve } from './serve.js';
import { createUserCommand, readPassword } from './user.js';
import { verifyAuditCommand, verifyLedgerCommand } from './verify.js';
import { importAreasCommand } from './areas.js';
import { importHouseholdsCommand } from './import.js';
import { cycleCommand, redeemCommand } from './cycles.js';
import { solveRoutesCommand } from './routes.js';

const program = new Command('awn')
  .description('Awn (عون): relief operations on one double-entry ledger')
  .addOption(
    new Option('--database <url>', 'SQLite file path or postgres:// URL')
      .env('AWN_DATABASE')
      .default(defaultDatabase),
  )
  .showHelpAfterError();

/**
 * Opens the database named by --database, runs `work`, closes it and sets the exit code.
 * With `prepare`, a database without areas first gets the shipped ones (as `serve` does).
 */
async function withStorage(
  work: (storage: Storage) => Promise<number | void>,
  { prepare = false } = {},
): Promise<void> {
  const storage = await connect(program.opts<{ database: string }>().database);
  try {
    if (prepare) await loadShippedAreasIfEmpty(storage);
    const code = await work(storage);
    if (typeof code === 'number') process.exitCode = code;
  } finally {
    await storage.close();
  }
}

/** A comma-separated list (of addresses or CIDR ranges), spaces ignored. */
const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

const positiveInteger = (name: string) => (value: string) => {
  const number = Number.parseInt(value, 10);
  if (!(number >= 1) || String(number) !== value.trim()) {
    throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
  }
  return number;
};

program
  .command('serve')
  .description('start the HTTP server (web app and API)')
  .option('--port <port>', 'port to listen on', (value) => Number.parseInt(value, 10), 8080)
  .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
  .option('--demo', 'seed the Lattakia demo on an empty database and mark demo mode', false)
  .addOption(
    new Option(
      '--trust-proxy <addresses>',
      'comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (e.g. 127.0.0.1)',
    )
      .env('AWN_TRUST_PROXY')
      .argParser(commaList)
      .default([]),
  )
  .addOption(
    new Option(
      '--secure-cookies',
      'always mark the session cookie Secure (it is anyway on HTTPS, direct or via a trusted proxy)',
    )
      .env('AWN_SECURE_COOKIES')
      .default(false),
  )
  .addOption(
    new Option(
      '--metrics-addresses <addresses>',
      'comma-separated addresses or CIDR ranges that may read /metrics without signing in (admins always may)',
    )
      .env('AWN_METRICS_ADDRESSES')
      .argParser(commaList)
      .default([]),
  )
  .addOption(
    new Option('--hashing-threads <n>', 'threads that check passwords (scrypt)')
      .env('AWN_HASHING_THREADS')
      .argParser(positiveInteger('--hashing-threads'))
      .default(defaultHashingLimits.threads),
  )
  .addOption(
    new Option(
      '--hashing-queue <n>',
      'password checks that may wait for a thread; beyond, sign-ins get 429 too-many-requests',
    )
      .env('AWN_HASHING_QUEUE')
      .argParser(positiveInteger('--hashing-queue'))
      .default(defaultHashingLimits.queue),
  )
  .action(
    async (options: {
      port: number;
      host: string;
      demo: boolean;
      trustProxy: string[];
      secureCookies: boolean;
      metricsAddresses: string[];
      hashingThreads: number;
      hashingQueue: number;
    }) => {
      process.exitCode = await serve({
        database: program.opts<{ database: string }>().database,
        ...options,
      });
    },
  );

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() =>
    withStorage(
      async (storage) => {
        console.log(`Database ${storage.description} is up to date.`);
      },
      { prepare: true },
    ),
  );

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user; the password is asked for, or read from standard input')
  .requiredOption('--username <name>', 'sign-in name')
  .addOption(new Option('--role <role>', 'role').choices(roles).makeOptionMandatory())
  .option('--display-name <name>', 'name shown in the app (defaults to the username)')
  .option(
    '--scope <id-or-pcode...>',
    'org unit ids or area p-codes the user may see (with subtrees)',
    [],
  )
  .option('--password-stdin', 'read the password from standard input', false)
  .action(
    (options: {
      username: string;
      role: string;
      displayName?: string;
      scope: string[];
      passwordStdin: boolean;
    }) =>
      withStorage(
        async (storage) => {
          const password = await readPassword(options.passwordStdin);
          return createUserCommand(storage, { ...options, password });
        },
        { prepare: true },
      ),
  );

program
  .command('ledger')
  .description('ledger tools')
  .command('verify')
  .description('recompute every balance from the transfers and check each commodity sums to zero')
  .action(() => withStorage(verifyLedgerCommand));

program
  .command('audit')
  .description('audit log tools')
  .command('verify')
  .description('check the hash chain of the audit log and name the first bad event')
  .option('--head <seq:hash>', 'a head printed by an earlier verify: the chain must still hold it')
  .action((options: { head?: string }) =>
    withStorage((storage) => verifyAuditCommand(storage, options)),
  );

program
  .command('areas')
  .description('administrative areas')
  .command('import <file>')
  .description(
    'load areas (CSV or JSON: pcode, parent_pcode, level, name_ar, name_en, latitude, longitude)',
  )
  .action((file: string) => withStorage((storage) => importAreasCommand(storage, file)));

program
  .command('import')
  .description('import data from files')
  .command('households <file>')
  .description('import households from CSV or XLSX; all or nothing unless --skip-invalid')
  .option('--dry-run', 'check every row and report, write nothing', false)
  .option('--skip-invalid', 'commit the valid rows and report the rest', false)
  .option('--report <file>', 'also write the full report as JSON')
  .action((file: string, options: { dryRun: boolean; skipInvalid: boolean; report?: string }) =>
    withStorage((storage) => importHouseholdsCommand(storage, file, options)),
  );

const cycle = program.command('cycle').description('distribution cycles');
for (const action of ['open', 'close'] as const) {
  cycle
    .command(`${action} <cycle-id>`)
    .description(
      action === 'open'
        ? "credit every eligible household's entitlement (again: credits nobody twice)"
        : 'expire what is left and close the cycle',
    )
    .action((cycleId: string) => withStorage((storage) => cycleCommand(storage, action, cycleId)));
}

program
  .command('redeem')
  .description('hand goods over at a service point (as at a counter), all items or none')
  .requiredOption('--card <card>', 'card number or the scanned QR payload')
  .requiredOption('--service-point <id>', 'the service point handing over')
  .requiredOption(
    '--item <commodity=quantity...>',
    'what to hand over, in base units, e.g. sugar=1000',
  )
  .option('--id <uuid>', 'the redemption id, to retry safely (default: a new one)')
  .action((options: { card: string; servicePoint: string; item: string[]; id?: string }) =>
    withStorage((storage) => redeemCommand(storage, options)),
  );

program
  .command('routes')
  .description('vehicle routing')
  .command('solve <file>')
  .description('solve a CVRPLIB instance (.vrp) and print the routes in CVRPLIB .sol format')
  .option('--seconds <n>', 'time budget in seconds', '5')
  .option('--seed <s>', 'random seed', '1')
  .action(async (file: string, options: { seconds: string; seed: string }) => {
    process.exitCode = await solveRoutesCommand(file, options);
  });

program
  .command('backup <file>')
  .description('write a consistent copy of the database (SQLite online backup, or pg_dump)')
  .action((file: string) => backup(program.opts<{ database: string }>().database, file));

await program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof AppError) {
    // Expected refusals: the stable code, the plain message, and each bad field.
    console.error(`awn: ${error.code}: ${error.message}`);
    if (error instanceof ValidationError) {
      for (const issue of error.issues) console.error(`  ${issue.path}: ${issue.message}`);
    }
  } else {
    console.error(`awn: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
});
