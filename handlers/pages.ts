import { accountConfig } from '../lib/dependencies/config';
import { httpHandler } from '../lib/http/handler';
import { header } from '../lib/http/request';
import { htmlPage } from '../lib/http/responses';
import { negotiateLanguage } from '../lib/pages/i18n';
import { pageOf, renderPage } from '../lib/pages/render';

/** The hosted sign-in, sign-up and account pages, in the language the browser prefers or `?lang=` names. */
export const handler = httpHandler(async (event) => {
  const language = negotiateLanguage(event.queryStringParameters?.['lang'], header(event, 'accept-language'));
  return htmlPage(renderPage(pageOf(event.resource), language, { signUpOpen: accountConfig().allowSignup }));
});
