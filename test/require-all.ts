// The first global setup: with ANYPOINT_M2_REQUIRE_ALL=1 (CI), a missing program or corpus stops the run
// before any test, naming what is missing and how to get it (a leg of the Maven matrix too).
import { corpusMissingLine } from "./helpers/corpus";
import { missingParts, missingTools, REQUIRE_ALL_VARIABLE, requireAll } from "./helpers/tools";
import { MAVENS_VARIABLE, missingLines } from "./helpers/mavens";

export default function setup(): void {
  if (!requireAll()) return;
  const legs = missingLines();
  const missing = [
    ...missingTools().map((t) => `${missingParts(t).join(", ")} not found (${t.install})`),
    ...(corpusMissingLine ? [corpusMissingLine] : []),
    ...(legs.length > 0 ? [`no Maven ${legs.join(", ")} in ${MAVENS_VARIABLE} (${MAVENS_VARIABLE}=$(.ci/mavens))`] : []),
  ];
  if (missing.length > 0) throw new Error(`${REQUIRE_ALL_VARIABLE}=1, so every test must run, but: ${missing.join("; ")}`);
}
