// readXmlFile: the one way from an XML file anypoint-m2 only reads (the security file, a pom) to its text.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { readXmlFile } from "../src/io/files";

const folder = () => mkdtempSync(join(tmpdir(), "read-xml-"));
const refuse = (why: string) => new M2Error(Exit.usage, `refused: ${why}`);
const failure = (f: () => unknown): M2Error => {
  try {
    f();
  } catch (e) {
    if (e instanceof M2Error) return e;
    throw e;
  }
  throw new Error("no error");
};

describe("readXmlFile", () => {
  it("decodes the file in the encoding it declares, and gives undefined when nothing is there", () => {
    const dir = folder();
    writeFileSync(join(dir, "a.xml"), Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9</a>', "latin1"));
    expect(readXmlFile(fs, join(dir, "a.xml"), 1024, refuse)).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>café</a>');
    expect(readXmlFile(fs, join(dir, "missing.xml"), 1024, refuse)).toBeUndefined();
  });

  it("refuses a folder, a named pipe (without waiting for a writer) and a file larger than the limit, saying why", () => {
    const dir = folder();
    mkdirSync(join(dir, "d"));
    execFileSync("mkfifo", [join(dir, "p")]);
    writeFileSync(join(dir, "big.xml"), `<a>${"x".repeat(2 * 1024 * 1024)}</a>`);
    expect(failure(() => readXmlFile(fs, join(dir, "d"), 1024, refuse)).message).toBe("refused: is a folder, not a file");
    expect(failure(() => readXmlFile(fs, join(dir, "p"), 1024, refuse)).message).toBe("refused: is a named pipe (FIFO), not a file");
    expect(failure(() => readXmlFile(fs, join(dir, "big.xml"), 1024 * 1024, refuse)).message).toBe("refused: is larger than 1 MiB");
  });

  it("refuses bytes that are not valid in the file's encoding with exit 5", () => {
    const dir = folder();
    writeFileSync(join(dir, "bad.xml"), Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]));
    expect(failure(() => readXmlFile(fs, join(dir, "bad.xml"), 1024, refuse)).exitCode).toBe(Exit.unsafe);
  });
});
