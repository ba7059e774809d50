/** The Following view: followed feeds and their state (issue #3 fills this in). */
export function FollowingView() {
  return <p class="empty">You are not following anyone yet.</p>;
}
