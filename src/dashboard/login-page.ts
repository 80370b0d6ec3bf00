// The /login page (SPEC.md: one password field and a submit button): server-rendered HTML that works
// without JavaScript, styled by the bundled /static/login.css. Every interpolated value is escaped.

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A server-rendered page in the sign-in page's style: `title` is text (escaped here), `main` is HTML. */
export function plainPage(title: string, main: string, testId?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · clickrate</title>
<link rel="stylesheet" href="/static/login.css">
</head>
<body>
<main class="login"${testId ? ` data-testid="${testId}"` : ''}>
${main}
</main>
</body>
</html>
`;
}

export function loginPage(opts: { next: string; error?: string }): string {
  const error = opts.error ? `<p class="error" role="alert">${escapeHtml(opts.error)}</p>` : '';
  return plainPage(
    'Sign in',
    `<h1>clickrate</h1>
<p>Honest click-through rates. Sign in with an API key (make one with <code>clickrate keys create</code>).</p>
${error}
<form method="post" action="/login">
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escapeHtml(opts.next)}">
<button type="submit">Sign in</button>
</form>`,
  );
}
