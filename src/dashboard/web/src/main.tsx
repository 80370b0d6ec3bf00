// The dashboard app: a tiny history router over three pages (campaigns, one campaign, calculator).
// Served by `clickrate serve` behind the session cookie; every figure comes from the HTTP API.
import { render, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from './nav';
import { CampaignPage } from './pages/Campaign';
import { CampaignList } from './pages/CampaignList';
import { Calculator } from './pages/Calculator';
import './style.css';

function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return path;
}

function App() {
  const path = usePath();
  const m = /^\/campaigns\/([^/]+)$/.exec(path);
  let page: JSX.Element;
  if (m) page = <CampaignPage id={decodeURIComponent(m[1]!)} />;
  else if (path === '/calculator') page = <Calculator />;
  else page = <CampaignList />;
  useEffect(() => {
    document.title = m ? `${decodeURIComponent(m[1]!)} · clickrate` : path === '/calculator' ? 'Calculator · clickrate' : 'Campaigns · clickrate';
  }, [path]);
  return (
    <>
      <header class="top">
        <a class="brand" href="/" data-nav>
          clickrate
        </a>
        <nav>
          <a href="/" data-nav>
            Campaigns
          </a>
          <a href="/calculator" data-nav>
            Calculator
          </a>
        </nav>
        <form method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main>{page}</main>
    </>
  );
}

// In-app links navigate without a page load; modified clicks (new tab) keep the browser's behaviour.
document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest?.('a[data-nav]') as HTMLAnchorElement | null;
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
});

render(<App />, document.getElementById('app')!);
