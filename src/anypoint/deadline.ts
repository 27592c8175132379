/**
 * Time limits the credential check keeps by itself. undici's abort signal does not reach every step of a
 * request (a proxy's CONNECT and the TLS handshake after it ignore it: nodejs/undici#3481, #5011), so a
 * limit here is a timer of ours that gives up on the work, whatever the work does, and tears down its
 * connections so that nothing keeps waiting behind it.
 */

/** The error a passed deadline rejects with; its message says which limit it was. */
export class DeadlineError extends Error {
  override name = "TimeoutError";
}

/**
 * The work's result, or a DeadlineError once `ms` have passed, whether or not the work ever settles. Then
 * the signal given to the work is aborted and `expire` is called (to destroy the connections), before the
 * rejection.
 */
export async function within<T>(ms: number, message: string, work: (signal: AbortSignal) => Promise<T>, expire: (error: Error) => void): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineError(message);
      controller.abort(error);
      expire(error);
      reject(error);
    }, Math.max(ms, 0));
  });
  try {
    // The work's own later rejection is handled by the race, so it is never an unhandled one.
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The time left of a whole task that must end by a fixed moment. */
export class Budget {
  private readonly end: number;

  constructor(readonly ms: number) {
    this.end = performance.now() + ms;
  }

  /** Milliseconds left, never below 0. */
  left(): number {
    return Math.max(this.end - performance.now(), 0);
  }
}
