"""Mail in: the published address (the charter's eservice@hcnc.co.kr) becomes
tickets, and replies to our notices become comments (issue 14).

- parsing: raw bytes to a `ParsedMail` (Korean charsets, HTML-only mail,
  malformed MIME) that never raises; charsets, html_text and quoting hold
  the pieces it uses;
- classifying: automatic replies, bounces and our own mail, never a ticket;
- reply_threading: which ticket a reply is about (signed reply address, else
  In-Reply-To/References);
- services: one function per outcome, each recording the `InboundMail` row in
  the transaction of the ticket or comment it makes; intake picks the outcome;
- desk_handling: the desk's "file a ticket" and "set aside";
- replies: what the sender is told, through the outbox;
- mailboxes and poller: reading the IMAP mailboxes every minute.
"""
