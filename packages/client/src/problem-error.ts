// A failed call, as the RFC 9457 problem document the server sent (or one the client made up
// when the response was not a problem document, e.g. from a gateway).
import { problemSchema, type Problem } from '@kequn/api';

export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(
      `${problem.title} (${problem.code}, HTTP ${problem.status})${problem.detail === undefined ? '' : `: ${problem.detail}`}`,
    );
    this.name = 'ProblemError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

export function isProblemError(value: unknown): value is ProblemError {
  return value instanceof ProblemError;
}

/** Reads a failed response as a problem; a body that is not one becomes KQ_CLIENT_UNEXPECTED_RESPONSE. */
export async function problemOf(response: Response): Promise<ProblemError> {
  const text = await response.text();
  try {
    const parsed = problemSchema.safeParse(JSON.parse(text));
    if (parsed.success) return new ProblemError(parsed.data);
  } catch {
    // Not JSON: a proxy's HTML page, say; described below with the status alone.
  }
  return new ProblemError({
    type: 'about:blank',
    title: response.statusText === '' ? 'Unexpected response' : response.statusText,
    status: response.status >= 400 && response.status <= 599 ? response.status : 502,
    code: 'KQ_CLIENT_UNEXPECTED_RESPONSE',
    detail: `The server answered ${response.status} without a problem document: ${text.slice(0, 200)}`,
  });
}
