import type { Request, Response } from 'express';
import { showScreen, type AccountWeb } from '../accounts/login.routes.js';
import { pickLang } from '../http/language.js';
import { officeT } from './office.messages.js';
import type { Problem } from './office-forms.js';

/** Renders views/office/<view>.eta with the office's messages: the web edge the office's route files share. */
export function showOffice(web: AccountWeb, req: Request, res: Response, view: string, data: { title: string } & Record<string, unknown>, status = 200): void {
  const t = officeT(pickLang(req));
  const problems = (data.problems as Problem[] | undefined) ?? [];
  // Per input, its message: the views put it under the input and point the input at it.
  const problemOf: Record<string, string> = {};
  for (const p of problems) if (p.field && !problemOf[p.field]) problemOf[p.field] = p.message;
  showScreen(web, req, res, `office/${view}`, { t, problems, problemOf, ...data }, status);
}
