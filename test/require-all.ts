// The first global setup: with ANYPOINT_M2_REQUIRE_ALL=1 (CI), a missing program or corpus stops the run
// before any test, naming what is missing and how to get it.
import { corpusMissingLine } from "./helpers/corpus";
import { missingParts, missingTools, REQUIRE_ALL_VARIABLE, requireAll } from "./helpers/tools";

export default function setup(): void {
  if (!requireAll()) return;
  const missing = [...missingTools().map((t) => `${missingParts(t).join(", ")} not found (${t.install})`), ...(corpusMissingLine ? [corpusMissingLine] : [])];
  if (missing.length > 0) throw new Error(`${REQUIRE_ALL_VARIABLE}=1, so every test must run, but: ${missing.join("; ")}`);
}
