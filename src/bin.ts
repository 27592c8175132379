#!/usr/bin/env -S node --
// "node --": Node 20 reads a script's own --env-file argument as its option and exits when the file is
// missing (nodejs/node#54232); it stops looking at "--".
import { homedir } from "node:os";
import * as fs from "node:fs";
import { main } from "./cli/main";

// Ctrl-C or a TERM outside a prompt: exit 130 (143). Handlers run between event-loop turns, so never in the
// middle of the synchronous read-change-write under the lock; the file is the old or the new content.
process.on("SIGINT", () => {
  process.stderr.write("\nanypoint-m2: cancelled\n");
  process.exit(130);
});
process.on("SIGTERM", () => process.exit(143));

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

const io = {
  env: process.env,
  home: homedir(),
  cwd: process.cwd(),
  fs,
  stdout: (text: string) => process.stdout.write(`${text}\n`),
  writeStdout: (bytes: Uint8Array) => process.stdout.write(bytes),
  stderr: (text: string) => process.stderr.write(`${text}\n`),
  // A getter: touching process.stdin builds a stream, which costs start-up time, and only setup asks.
  get terminal() {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY);
  },
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb",
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

void main(process.argv.slice(2), io, process.stdout.columns).then((code) => {
  process.exitCode = code;
});
