// A tiny test collector for inside workerd: the conformance suite registers its cases through it,
// and a request runs one case by its full name. The vitest side registers the same names (it calls
// the same suite in Node with an `it` that asks the Worker to run the case).

/** The full name of a case: its groups and its own name. */
export type CasePath = string[];

/** The cases a suite registered, by full name joined with ' › '. */
export function collectCases(register: (describe: (name: string, body: () => void) => void, it: (name: string, body: () => Promise<void>) => void) => void): Map<string, () => Promise<void>> {
  const cases = new Map<string, () => Promise<void>>();
  const groups: string[] = [];
  register(
    (name, body) => {
      groups.push(name);
      try {
        body();
      } finally {
        groups.pop();
      }
    },
    (name, body) => {
      cases.set([...groups, name].join(' › '), body);
    },
  );
  return cases;
}

/** Runs the case named in the request's body; answers `{ ok }` or `{ ok: false, error }`, 404 for an unknown name. */
export async function runCase(cases: Map<string, () => Promise<void>>, request: Request): Promise<Response> {
  const name = await request.text();
  const body = cases.get(name);
  if (body === undefined) return Response.json({ ok: false, error: `no case named ${name}` }, { status: 404 });
  try {
    await body();
    return Response.json({ ok: true });
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    return Response.json({ ok: false, error: detail });
  }
}
