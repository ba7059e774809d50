/** First-run state: what Offprint does and the two ways to fill it. */
export function Welcome() {
  return (
    <section class="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Offprint</h2>
      <p>Your library is empty. Everything you add here stays readable offline, images included.</p>
      <ol>
        <li>
          <strong>Follow an author:</strong> open a Medium author’s page, click the Offprint button in the toolbar and
          choose <em>Follow</em>. New posts arrive on their own.
        </li>
        <li>
          <strong>Clip a page:</strong> on any article, click <em>Save this page</em> or press <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>S</kbd>.
        </li>
      </ol>
    </section>
  );
}
