#!/usr/bin/env node
import { homedir } from "node:os";
import * as fs from "node:fs";
import { main } from "./cli/main";

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

const io = {
  env: process.env,
  home: homedir(),
  fs,
  stdout: (text: string) => process.stdout.write(`${text}\n`),
  stderr: (text: string) => process.stderr.write(`${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

void main(process.argv.slice(2), io, process.stdout.columns).then((code) => {
  process.exitCode = code;
});
