/**
 * The fields of an RFC 9457 problem document that the service sends with
 * every refusal and failure (`application/problem+json`).
 */
export interface ProblemDocument {
  readonly status?: number;
  readonly code?: string;
  readonly detail?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
  readonly commandId?: string | null;
}

interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

/** Reads a response body as a problem document, if it looks like one. */
export function asProblem(body: unknown): ProblemDocument | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { code } = body as { code?: unknown };
  return typeof code === 'string' ? body : undefined;
}

/**
 * The message on stderr for a problem: the code and status, the detail, the
 * correlation id to quote to support, and the particulars.
 */
export function describeProblem(
  problem: ProblemDocument,
  status: number,
  headerCorrelationId?: string,
): string {
  const correlationId = problem.correlationId ?? headerCorrelationId;
  const lines = [
    `${problem.code ?? 'UNKNOWN'} (${status}): ${problem.detail ?? 'no detail given'}`,
    ...(correlationId === undefined
      ? []
      : [`  correlation id: ${correlationId}`]),
    ...detailLines(problem.details),
  ];
  return lines.join('\n');
}

function detailLines(
  details: Readonly<Record<string, unknown>> | undefined,
): string[] {
  if (details === undefined) return [];
  return Object.entries(details).flatMap(([key, value]) =>
    key === 'problems' && isProblemList(value)
      ? value.map(({ field, problem }) => `  ${field || '(body)'}: ${problem}`)
      : [`  ${key}: ${JSON.stringify(value)}`],
  );
}

function isProblemList(value: unknown): value is FieldProblem[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        'field' in item &&
        'problem' in item,
    )
  );
}
