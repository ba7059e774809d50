/** A feed problem, worded for the reader: shown as the feed's last error. */
export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}
