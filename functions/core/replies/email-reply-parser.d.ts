// email-reply-parser v1 ships no types; this is the part demarche uses.
declare module 'email-reply-parser' {
  interface Fragment {
    isQuoted(): boolean;
    isHidden(): boolean;
    isSignature(): boolean;
    isEmpty(): boolean;
    getContent(): string;
  }
  interface Email {
    getFragments(): Fragment[];
    getVisibleText(): string;
    getQuotedText(): string;
  }
  export default class EmailReplyParser {
    read(text: string): Email;
    parseReply(text: string): string;
    parseReplied(text: string): string;
  }
}
