// The command: bundled, with all an ordinary run needs, as dist/cli.cjs, the package's bin.
import * as fs from "node:fs";
import { main } from "./cli/main";
import { Exit, M2Error } from "./errors";
import { releaseHeldLocks } from "./io/lock";
import { accountHome } from "./io/paths";

/**
 * Output goes straight to file descriptors 1 and 2: process.stdout and process.stderr would build stream
 * objects whose modules cost more start-up time than a whole `list`. A reader that stops early (`| head`)
 * is not an error; a non-blocking pipe that is full is waited for.
 */
function write(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  for (let done = 0; done < bytes.length; ) {
    try {
      done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") process.exit(process.exitCode ?? 0);
      if (code === "EAGAIN") continue;
      // Output that cannot be written (a full disk behind `> file`): said on stderr, exit 1, no stack trace.
      if (fd === 1) {
        try {
          fs.writeSync(2, `anypoint-m2: could not write to standard output (${code ?? String(e)}); the command may have changed settings.xml all the same: check with anypoint-m2 list\n`);
        } catch {
          /* nowhere to say it */
        }
        process.exit(1);
      }
      throw e;
    }
  }
}

/**
 * Whether a file descriptor is a terminal. Only a character device can be one, and /dev/null (where scripts
 * and CI send output) is not: both are told by fstat, so that node:tty, which brings the stream modules
 * (~3 ms), is loaded only for a character device that may be a terminal.
 */
function isTerminal(fd: number): boolean {
  let stat;
  try {
    stat = fs.fstatSync(fd);
  } catch {
    return false;
  }
  if (!stat.isCharacterDevice()) return false;
  try {
    const nul = fs.statSync("/dev/null");
    if (nul.isCharacterDevice() && nul.rdev === stat.rdev) return false;
  } catch {
    /* no /dev/null here */
  }
  return (require("node:tty") as typeof import("node:tty")).isatty(fd);
}

/**
 * A value of the environment that may not be there to take (a deleted current folder, an account with no
 * home): asked for when a command needs it, so that the error is the command's, in one line.
 */
function lazily<T>(take: () => T, missing: string, hint: string): () => T {
  let value: T | undefined;
  return () => {
    try {
      return (value ??= take());
    } catch (e) {
      throw new M2Error(Exit.usage, `${missing} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { hint });
    }
  };
}

// Java, and so Maven, takes the home folder from the account, not from $HOME.
const home = lazily(accountHome, "this account has no home folder to find ~/.m2 in", "Set HOME to the folder that holds .m2 and run again.");
const cwd = lazily(() => process.cwd(), "the current folder no longer exists", "Change to a folder that exists and run again.");

const io = {
  env: process.env,
  get home() {
    return home();
  },
  get cwd() {
    return cwd();
  },
  fs,
  stdout: (text: string) => write(1, `${text}\n`),
  writeStdout: (bytes: Uint8Array) => write(1, bytes),
  stderr: (text: string) => write(2, `${text}\n`),
  // Getters: looking at the terminal costs start-up time; only some runs ask.
  get terminal() {
    return isTerminal(0) && isTerminal(1);
  },
  get color() {
    return !process.env.NO_COLOR && process.env.TERM !== "dumb" && isTerminal(1);
  },
  get stdinTerminal() {
    return isTerminal(0);
  },
  stdoutFile: () => {
    try {
      const stat = fs.fstatSync(1);
      return stat.isFile() ? { dev: stat.dev, ino: stat.ino } : undefined;
    } catch {
      return undefined;
    }
  },
  readStdin: async (maxBytes: number) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        process.stdin.destroy();
        return undefined;
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  },
};

// Ctrl-C, a TERM (docker stop, timeout) or a closed terminal, outside a prompt: the run is cancelled, exit
// 130 for each, as scripts test for one "cancelled" code. Handlers run between event-loop turns, so never in
// the middle of the synchronous read-change-write; the file is the old or the new content, and no temp
// file of this run exists then. Whatever the way out, a lock still held is released.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    try {
      write(2, `\nanypoint-m2: cancelled (${signal})\n`);
    } catch {
      /* a closed terminal cannot be told */
    }
    process.exit(130);
  });
}
process.on("exit", releaseHeldLocks);
// The parts loaded on demand (./help.cjs) lie beside the real file: under --preserve-symlinks-main Node
// names the main module by the link that ran it, and would look for them beside the link.
if (require.main?.filename === __filename) require.main.filename = fs.realpathSync(__filename);
// Exit once the command is done: output is written synchronously, and a name lookup that hangs (which Node
// cannot cancel) must not keep a finished run, whose check already gave up at its deadline, alive.
void main(process.argv.slice(2), io).then((code) => process.exit(code));
