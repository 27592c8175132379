// The credential check's own time limits: a deadline gives up on work that never settles, whatever the
// work does, after tearing it down; a budget is what is left of the whole check.
import { describe, expect, it } from "vitest";
import { Budget, DeadlineError, within } from "../src/anypoint/deadline";

describe("within", () => {
  it("gives the work's result when it comes first, and never expires", async () => {
    const expired: Error[] = [];
    await expect(within(60_000, "late", async () => "done", (e) => expired.push(e))).resolves.toBe("done");
    expect(expired).toEqual([]);
  });

  it("gives the work's own failure when it comes first", async () => {
    await expect(within(60_000, "late", () => Promise.reject(new Error("refused")), () => undefined)).rejects.toThrow("refused");
  });

  it("rejects with a DeadlineError once the time passes, though the work never settles; it aborts the work's signal and tears it down first", async () => {
    const order: string[] = [];
    let seen: AbortSignal | undefined;
    const never = (signal: AbortSignal) => {
      seen = signal;
      signal.addEventListener("abort", () => order.push("aborted"));
      return new Promise<never>(() => undefined);
    };
    const e = await within(20, "timed out after 1 s", never, (error) => order.push(`expired: ${error.message}`)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DeadlineError);
    expect((e as Error).name).toBe("TimeoutError");
    expect((e as Error).message).toBe("timed out after 1 s");
    expect(seen?.aborted).toBe(true);
    expect(order).toEqual(["aborted", "expired: timed out after 1 s"]);
  });

  it("leaves no unhandled rejection when the work fails after the deadline", async () => {
    let fail!: (e: Error) => void;
    const late = new Promise<never>((_, reject) => (fail = reject));
    await expect(within(10, "timed out", () => late, () => undefined)).rejects.toBeInstanceOf(DeadlineError);
    fail(new Error("connection destroyed"));
    // An unhandled rejection would fail this file (vitest reports them as errors).
    await expect(late).rejects.toThrow("connection destroyed");
  });
});

describe("Budget", () => {
  it("counts down from its length and stops at 0", () => {
    const budget = new Budget(60_000);
    expect(budget.left()).toBeLessThanOrEqual(60_000);
    expect(budget.left()).toBeGreaterThan(0);
    expect(new Budget(0).left()).toBe(0);
    expect(new Budget(-5).left()).toBe(0);
  });
});
