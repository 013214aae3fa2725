import { format, type Messages } from '../i18n';
import { ApiProblem, NetworkProblem } from './api';

/**
 * What to tell the person about a failed request, in their language. The API's own description
 * (English) is shown only where no message of ours fits, and always as text.
 */
export function problemText(m: Messages, problem: unknown, known: Readonly<Record<string, string>> = {}): string {
  if (problem instanceof NetworkProblem) return m.networkError;
  if (!(problem instanceof ApiProblem)) return m.unexpected;
  const mine = known[`${problem.status} ${problem.code}`] ?? known[String(problem.status)];
  if (mine !== undefined) return mine;
  if (problem.status === 429) return format(m.lockedOut, { seconds: problem.retryAfterSeconds ?? 60 });
  if (problem.status >= 500) return m.unavailable;
  if (problem.description !== '') return format(m.refused, { reason: problem.description });
  return m.unexpected;
}
