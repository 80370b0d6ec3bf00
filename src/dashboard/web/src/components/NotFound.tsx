// What the app shows for something that is not there (an unknown campaign): a heading, why, and the way back.
export function NotFound(props: { title: string; text: string }) {
  return (
    <section class="card notfound" data-testid="not-found">
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p>
        <a href="/" data-nav>
          All campaigns
        </a>
      </p>
    </section>
  );
}
