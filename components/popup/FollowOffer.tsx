/** "Follow <name>" for the feed(s) of the active tab (issue #3 fills this in). */
export function FollowOffer() {
  return null;
}
