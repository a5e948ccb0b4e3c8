#!/usr/bin/env python3
"""tests/fuzz/make_seeds.py - write the seed corpora under tests/fuzz/corpus/<target>/.

The seeds are the inputs of the unit tests (tests/sim/..., tests/fake_dns/),
laid out as each target reads its input (fuzz.hpp: option bytes first, then
the stream).  Run it after changing a target's input layout, then commit the
files:

    python3 tests/fuzz/make_seeds.py

Each seed is named after what it shows; existing files of a target are
replaced.  The scenario loader also takes the starter scenarios.
"""
import base64
import pathlib
import shutil
import struct

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def b64(text):
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def plain(user, password, authzid=""):
    return b64(f"{authzid}\0{user}\0{password}")


# ---- SMTP --------------------------------------------------------------

SMTP_SERVER = {
    # option byte: 1 LMTP, 2 AUTH, 4 64-octet size limit, 8 two recipients, 16 three errors,
    # bits 5-6: 3 = 554 greeting, 2 = 421 greeting; 0x80 no size limit.  Then the split byte.
    "transaction": (0x00, 0x1B, "EHLO client.test\r\nMAIL FROM:<a@x.test> SIZE=21\r\nRCPT TO:<b@y.test>\r\n"
                    "DATA\r\nSubject: hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n"),
    "pipelined": (0x00, 0x93, "EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<nobody-reject@y.test>\r\n"
                  "RCPT TO:<b@y.test>\r\nDATA\r\nline\r\n.\r\nRSET\r\nNOOP\r\nVRFY b\r\nHELP\r\nQUIT\r\n"),
    "dsn-parameters": (0x00, 0x27, "EHLO c\r\nMAIL FROM:<a@x.test> RET=HDRS ENVID=QQ+2B314 BODY=8BITMIME "
                       "AUTH=<>\r\nRCPT TO:<b@y.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bx@y.test\r\n"
                       "RCPT TO:<@a.test,@b.test:u@d.test> NOTIFY=NEVER\r\nDATA\r\n\xc3\xa9t\xc3\xa9\r\n.\r\n"),
    "auth-plain": (0x02, 0x11, f"EHLO c\r\nAUTH PLAIN {plain('alice', 'secret')}\r\nAUTH PLAIN =\r\n"
                   "MAIL FROM:<a@x.test> AUTH=alice\r\nQUIT\r\n"),
    "auth-plain-challenge": (0x02, 0x44, f"EHLO c\r\nAUTH PLAIN\r\n{plain('alice', 'wrong')}\r\nAUTH PLAIN\r\n*\r\n"),
    "auth-login": (0x02, 0x35, f"EHLO c\r\nAUTH LOGIN\r\n{b64('alice')}\r\n{b64('secret')}\r\n"
                   f"AUTH LOGIN {b64('bob')}\r\n!!\r\nAUTH CRAM-MD5\r\nAUTH PLAIN {b64('no-nuls')}\r\n"),
    "lmtp": (0x01, 0x21, "LHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<gone-reject@y.test>\r\n"
             "RCPT TO:<c@y.test>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nEHLO c\r\nHELO c\r\nQUIT\r\n"),
    "smuggling": (0x80, 0x66, "EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nx\n.\nMAIL FROM:<e@v>\r\n"
                  "x\r.\rRCPT TO:<f@v>\r\n\r\n.\r\n"),
    "size-limit": (0x04, 0x05, "EHLO c\r\nMAIL FROM:<> SIZE=10\r\nRSET\r\nMAIL FROM:<> SIZE=65\r\nMAIL FROM:<>\r\n"
                   "RCPT TO:<b@y.test>\r\nDATA\r\n" + "x" * 70 + "\r\n.\r\n"),
    "errors": (0x10, 0x72, "\r\nMAIL FROM:<a@x.test>\rRCPT\r\nBOGUS\r\nEHLO\r\nEHLO c\r\nMAIL FROM:<bad>\r\n"
               "MAIL TO:<a@x.test>\r\nMAIL FROM:<> SMTPUTF8\r\nMAIL FROM:<>\r\nRCPT TO:<a@@b>\r\nDATA now\r\n"
               "NOOP " + "x" * 506 + "\r\nSTARTTLS\r\nBDAT 1\r\n"),
    "recipient-limit": (0x08, 0x0F, "EHLO c\r\nMAIL FROM:<>\r\n" + "".join(f"RCPT TO:<r{i}@y.test>\r\n" for i in range(4))),
    "refused-greeting": (0x60, 0x00, "EHLO c\r\nNOOP\r\nQUIT\r\n"),
    "decisions": (0x00, 0x31, "EHLO tempfail.test\r\nEHLO c\r\nMAIL FROM:<reject@x.test>\r\nMAIL FROM:<a@x.test>\r\n"
                  "RCPT TO:<tempfail@y.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nreject me\r\n.\r\n"
                  "MAIL FROM:<goodbye@x.test>\r\n"),
}

GREETING = "220 mx.test ESMTP\r\n"
EHLO_FULL = ("250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-DSN\r\n"
             "250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES\r\n")

SMTP_CLIENT = {
    # option byte: 1 LMTP, 2 AUTH, bits 2-3 recipients - 1, 16 two messages, 32 DSN, 64 timeout at the end.
    "pipelined": (0x24, 0x1B, GREETING + EHLO_FULL + "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n"
                  "354 go\r\n250 2.0.0 queued\r\n221 2.0.0 Bye\r\n"),
    "no-pipelining": (0x00, 0x07, GREETING + "250-mx.test\r\n250 SIZE\r\n250 Ok\r\n250 Ok\r\n354 go\r\n"
                      "250 queued\r\n221 Bye\r\n"),
    "helo-fallback": (0x10, 0x22, GREETING + "502 5.5.2 no EHLO\r\n250 mx.test\r\n250 Ok\r\n250 Ok\r\n354 go\r\n"
                      "250 Ok\r\n250 Ok\r\n550 no\r\n250 Ok\r\n221 Bye\r\n"),
    "auth": (0x02, 0x61, GREETING + EHLO_FULL + "235 2.7.0 ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n250 Ok\r\n221 Bye\r\n"),
    "auth-failed": (0x02, 0x0C, GREETING + EHLO_FULL + "535 5.7.8 no\r\n221 Bye\r\n"),
    "lmtp": (0x09, 0x3F, "220 lmtp ready\r\n250-lda\r\n250 PIPELINING\r\n250 Ok\r\n250 Ok\r\n550 5.1.1 gone\r\n"
             "452 4.2.2 full\r\n354 go\r\n250 2.0.0 delivered\r\n221 Bye\r\n"),
    "rset-between": (0x14, 0x13, GREETING + EHLO_FULL + "250 Ok\r\n550 a\r\n550 b\r\n250 Ok\r\n250 Ok\r\n"
                     "250 Ok\r\n250 Ok\r\n354 go\r\n421 4.4.2 timeout\r\n"),
    "multiline-and-malformed": (0x40, 0x55, "220-mx.test\r\n220-more\r\n220 ready\r\n250-mx\r\n251 changed\r\n"),
    "greeting-rejected": (0x00, 0x00, "554 5.7.1 go away\r\n221 Bye\r\n"),
}

# ---- POP3 --------------------------------------------------------------

POP3_SERVER = {
    # split byte, then the client's bytes.
    "fetch": (0x1B, "USER alice\r\nPASS secret\r\nSTAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nRETR 2\r\nTOP 4 1\r\n"
              "DELE 1\r\nLIST 1\r\nRSET\r\nDELE 3\r\nQUIT\r\n"),
    "errors": (0x72, "PASS x\r\nUSER\r\nSTAT\r\nUSER carol\r\nPASS secret\r\nUSER bob\r\nPASS anything\r\n"
               "RETR 0\r\nRETR 9\r\nTOP 1\r\nTOP 1 x\r\nDELE 1 2\r\nNOOP x\r\nAPOP a b\r\n" + "X" * 600 + "\r\n"),
    "capa-and-bare-lf": (0x05, "CAPA\nUSER alice\nPASS wrong\nUSER alice\nPASS secret\nCAPA\nUIDL 2\nTOP 2 0\nquit\n"),
    "too-many-errors": (0x33, "BOGUS\r\n" * 11),
}

POP3_CLIENT = {
    # option byte: 1 delete, 2 timeout at the end (also the split).
    "fetch": (0x01, "+OK POP3 server ready\r\n+OK send PASS\r\n+OK maildrop has 2 messages (60 octets)\r\n"
              "+OK 2 60\r\n+OK 20 octets\r\nSubject: a\r\n\r\nhi\r\n.\r\n+OK message 1 deleted\r\n"
              "+OK 40 octets\r\n..dot\r\n...\r\n\r\n.x\r\n.\r\n+OK message 2 deleted\r\n"
              "+OK POP3 server signing off (maildrop empty)\r\n"),
    "keep": (0x00, "+OK ready\r\n+OK\r\n+OK\r\n+OK 1 5\r\n+OK\r\nabc\r\n.\r\n+OK bye\r\n"),
    "in-use": (0x16, "+OK\r\n+OK\r\n-ERR [IN-USE] maildrop is locked by another session\r\n+OK\r\n"),
    "greeting-refused": (0x03, "-ERR go away\r\n"),
    "broken": (0x25, "+OK\r\n+OK\r\n+OK\r\n+OK many\r\n+OK\r\n"),
}

# ---- IMAP --------------------------------------------------------------

IMAP_SESSION = ("a1 LOGIN bob@example.org pw\r\na2 SELECT INBOX\r\na3 UID SEARCH UNSEEN\r\n"
                "a4 FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)\r\na5 FETCH 2 (BODY[1] BODY.PEEK[2.MIME] "
                "BODY[HEADER.FIELDS (From Subject)] BODY[TEXT]<0.10>)\r\na6 STORE 1:2 +FLAGS (\\Flagged $Work)\r\n"
                "a7 SEARCH OR FROM alice SUBJECT report NOT SEEN SINCE 1-Jan-2026 LARGER 10\r\n"
                "a8 COPY 1 Trash\r\na9 UID MOVE 2 Junk\r\nb1 EXPUNGE\r\nb2 CLOSE\r\nb3 LOGOUT\r\n")

IMAP_SERVER = {
    # split byte, then the client's bytes; 00 01 N: another session changes bob's mail.
    "session": (0x1B, IMAP_SESSION),
    "mailboxes": (0x27, "a LOGIN bob@example.org pw\r\nb CREATE Work/2026\r\nc LIST \"\" *\r\nd LSUB \"\" %\r\n"
                  "e SUBSCRIBE Work\r\nf LIST (SUBSCRIBED) \"\" \"*\" RETURN (CHILDREN SPECIAL-USE)\r\n"
                  "g RENAME Work Old\r\nh STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)\r\n"
                  "i DELETE Old/2026\r\nj CREATE &AOk-t&AOk-\r\nk NAMESPACE\r\nl ID (\"name\" \"fuzz\")\r\n"
                  "m ENABLE CONDSTORE\r\nn EXAMINE Trash\r\no UNSELECT\r\np LOGOUT\r\n"),
    "append-literals": (0x31, "a LOGIN {15}\r\nbob@example.org {2+}\r\npw\r\n"
                        "b APPEND INBOX (\\Seen) \" 5-Jan-2026 09:00:00 +0000\" {23}\r\nSubject: x\r\n\r\nhello\r\n\r\n"
                        "c APPEND Sent {12+}\r\nbare\nLF\nbody\r\nd APPEND Nowhere {0}\r\n\r\n"
                        "e SELECT INBOX\r\nf UID FETCH 1:* (UID FLAGS)\r\ng APPEND INBOX {1073741824}\r\nh NOOP\r\n"),
    "authenticate-idle": (0x44, "a AUTHENTICATE PLAIN\r\n" + plain("bob@example.org", "pw") + "\r\nb SELECT INBOX\r\n"
                          "c IDLE\r\n\0\1\0\0\1\2DONE\r\nd NOOP\r\n\0\1\1e FETCH 1:* FLAGS\r\n\0\1\3f NOOP\r\n"),
    "errors": (0x05, "a1 XYZZY\r\n+ NOOP\r\n\r\na2\r\na3  NOOP\r\na4 SELECT INBOX)\r\na5 STATUS INBOX (MESSAGES\r\n"
               "a6 FETCH 1 FLAGS\r\na7 LIST \"\" \"unterminated\r\na LOGIN bob@example.org wrong\r\n"
               "b AUTHENTICATE PLAIN Ym9i\r\nc AUTHENTICATE CRAM-MD5\r\nd AUTHENTICATE PLAIN\r\n*\r\n"),
    # 00 01 05: the STARTTLS handshake completes (the LOGIN before it is dropped).
    "starttls": (0x0C, "a STARTTLS\r\nb LOGIN bob@example.org pw\r\n\0\1\5c CAPABILITY\r\nd STARTTLS\r\n"
                 "e LOGIN bob@example.org pw\r\nf STARTTLS\r\ng LOGOUT\r\n"),
    "other-session": (0x63, "a LOGIN bob@example.org pw\r\nb SELECT INBOX\r\n\0\1\4c NOOP\r\n\0\1\0d FETCH * (UID)\r\n"
                      "\0\1\2e STORE 1 FLAGS.SILENT (\\Deleted)\r\nf EXPUNGE\r\n\0\1\3g LOGOUT\r\n"),
}

IMAP_COMMAND = {
    # option byte: 1 small limits, 2 accept synchronizing literals (also the split).
    "session": (0x02, IMAP_SESSION),
    "literals": (0x12, "a1 NOOP\r\na2 LOGIN {3}\r\nbob {2+}\r\npw\r\na3 APPEND INBOX {12}\r\nSubject: x\r\n\r\n"
                 "a4 CAPABILITY\na5 LOGIN {0}\r\n {0+}\r\n\r\n"),
    "rejected-literal": (0x00, "a1 APPEND INBOX {5}\r\na2 NOOP\r\na3 APPEND INBOX {1073741824}\r\n"),
    "over-long": (0x03, "a1 NOOP " + "x" * 90 + " {4+}\r\nabcd more\r\na2 NOOP\r\na3 CREATE {5+}\r\nshort extra\r\n"),
    "names-and-sets": (0x02, "&AOk-t&AOk-\r\nINBOX/Sub\r\n1:4,7,9:*\r\n*:3\r\n\\Seen\r\n$Work\r\n"
                       "OR FROM alice NOT (SEEN UID 1:*)\r\nHEADER Subject \"a b\" ON 5-Jan-2026\r\n"),
    "authenticate": (0x02, "a AUTHENTICATE PLAIN\r\nAGJvYkBleGFtcGxlLm9yZwBwdw==\r\nb IDLE\r\nDONE\r\n"),
}

IMAP_DIALOGUE = ("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN UIDPLUS] ready\r\nm1 OK logged in\r\n"
                 "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\nm2 OK [READ-WRITE] selected\r\n"
                 "* SEARCH 4 9\r\nm3 OK done\r\n"
                 "* 1 FETCH (UID 4 BODY[] {9}\r\nA\r\n{3}\r\nB FLAGS (\\Seen))\r\nm4 OK done\r\n"
                 "m5 OK stored\r\n* 2 FETCH (FLAGS () UID 9 BODY[] \"quoted body\")\r\nm6 OK done\r\n"
                 "m7 OK stored\r\n* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nm8 OK expunged\r\n* BYE bye\r\nm9 OK LOGOUT completed\r\n")

IMAP_CLIENT = {
    # option byte: bits 1-2 password (atom, quoted, literal), 8 non-ASCII folder, 16 delete, 32 timeout.
    "fetch-delete": (0x10, IMAP_DIALOGUE),
    "login-literal": (0x04, "* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\nm1 OK logged in\r\n"
                      "* OK [UIDVALIDITY 3] ok\r\nm2 OK selected\r\n* SEARCH\r\nm3 OK done\r\nm4 OK bye\r\n"),
    "login-sync-literal": (0x0C, "* OK ready\r\n* CAPABILITY IMAP4rev1\r\nm1 OK caps\r\n+ go\r\nm2 OK in\r\n"
                           "m3 NO [NONEXISTENT] no such folder\r\n* BYE\r\nm4 OK\r\n"),
    "preauth": (0x02, "* PREAUTH [CAPABILITY IMAP4rev1] welcome\r\nm1 OK\r\nm2 OK\r\n* SEARCH 1\r\nm3 OK\r\n"
                "* 1 FETCH (UID 1 BODY[] {2}\r\nhi)\r\nm4 OK\r\nm5 OK\r\nm6 OK\r\n"),
    "plain-challenge": (0x30, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n+ \r\nm1 OK in\r\n* BYE shutting down\r\n"),
}

# ---- DNS ---------------------------------------------------------------


def dns_name(name):
    out = b""
    for label in name.split(".") if name else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_query(name, qtype, qid=0x1234, rd=True, edns=None, opcode=0, qclass=1, extra_questions=()):
    flags = (opcode << 11) | (0x0100 if rd else 0)
    questions = [(name, qtype, qclass)] + list(extra_questions)
    out = struct.pack(">HHHHHH", qid, flags, len(questions), 0, 0, 1 if edns else 0)
    for n, t, c in questions:
        out += dns_name(n) + struct.pack(">HH", t, c)
    if edns:
        out += b"\0" + struct.pack(">HHIH", 41, edns, 0, 0)
    return out


def dns_reply():
    """A reply with compressed names and an MX, A, TXT and SOA answer."""
    out = struct.pack(">HHHHHH", 0x4242, 0x8580, 1, 4, 0, 0)
    out += dns_name("example.org") + struct.pack(">HH", 15, 1)
    out += b"\xc0\x0c" + struct.pack(">HHIH", 15, 1, 3600, 9) + struct.pack(">H", 10) + b"\x03mx1\xc0\x0c"
    out += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 10])
    txt = b"\x0bv=spf1 -all\x06second"
    out += b"\xc0\x0c" + struct.pack(">HHIH", 16, 1, 60, len(txt)) + txt
    soa = b"\x03ns1\xc0\x0c\x0ahostmaster\xc0\x0c" + struct.pack(">IIIII", 1, 7200, 3600, 1209600, 300)
    out += b"\xc0\x0c" + struct.pack(">HHIH", 6, 1, 3600, len(soa)) + soa
    return out


DNS_QUERIES = {
    "mx": dns_query("example.org", 15),
    "a-mixed-case": dns_query("WWW.Example.ORG", 1, qid=7),
    "aaaa": dns_query("mx1.example.org", 28),
    "txt-edns": dns_query("big.example.org", 16, edns=4096),
    "txt-plain-truncated": dns_query("big.example.org", 16),
    "any": dns_query("example.org", 255, edns=1232),
    "cname-chain": dns_query("a.example.org", 1),
    "cname-loop": dns_query("loop1.example.org", 1),
    "nxdomain": dns_query("nope.example.org", 1),
    "ptr": dns_query("10.2.0.192.in-addr.arpa", 12),
    "servfail-fault": dns_query("servfail.example.org", 15),
    "timeout-fault": dns_query("slow.example.org", 1),
    "two-questions": dns_query("a.test", 1, extra_questions=[("b.test", 1, 1)]),
    "notimp-opcode": dns_query("example.org", 15, opcode=2),
    "axfr": dns_query("example.org", 252),
    "chaos-class": dns_query("version.bind", 16, qclass=3),
    "truncated": dns_query("example.org", 15)[:20],
    "reply": dns_reply(),
    "pointer-loop": struct.pack(">HHHHHH", 1, 0, 1, 0, 0, 0) + b"\xc0\x0c" + struct.pack(">HH", 1, 1),
}

ZONE = """$ORIGIN example.org.
$TTL 1h
@       IN SOA ns1 hostmaster ( 2026010501 ; serial
                7200 3600 1209600 300 )
        IN NS  ns1
        IN MX  10 mx1
        IN MX  20 mx2.example.org.
        IN TXT "v=spf1 ip4:192.0.2.0/24 -all" "second ; string"
mx1     300 IN A 192.0.2.10
mx1     IN AAAA 2001:db8::10
www     IN CNAME @
esc     IN TXT "a \\"quoted\\" \\(paren\\) \\065\\066"
null    IN MX 0 .
$TTL 60
_dmarc  IN TXT "v=DMARC1; p=reject"
"""

DNS_MASTER = {
    "every-construct": b"\x00" + ZONE.encode(),
    "relative-origin": b"\x01mx IN A 192.0.2.1\r\n\tIN AAAA 2001:db8::1\r\n; comment only\r\n\r\n",
    "last-ttl": b"\x02a.test. 300 IN A 192.0.2.1\nb.test. IN A 192.0.2.2\n$ORIGIN test.\nc 1w2d IN TXT x\n",
    "errors": b"\x00$INCLUDE other.zone\nbad record\n",
    "scenario-zone": b"\x00" + (ROOT / "tests/sim/scenario/data/example.zone").read_bytes(),
}

DNS_PRESENTATION = {
    "mx": b"example.org. 3600 IN MX 10 mx1.example.org.",
    "txt-strings": b'example.org TXT "v=spf1 -all" second "with \\"quote\\"" \\065',
    "soa": b"example.org SOA ns1.example.org hostmaster.example.org 1 7200 3600 1209600 300",
    "relative": b"@ IN A 192.0.2.1\nexample.org",
    "aaaa-mapped": b"v6.test AAAA ::ffff:192.0.2.1",
    "null-mx": b"null.test MX 0 .",
    "escaped-dot": b"a\\.b.test TXT x",
    "ttl-units": b"1h30m",
    "ipv6": b"2001:DB8:0:0:1:0:0:1",
}

# ---- messages ----------------------------------------------------------

MULTIPART = ("From: \"Carol C.\" <carol@example.net>\r\nTo: bob@example.org, dave@example.org\r\n"
             "Subject: =?UTF-8?B?Y2Fmw6k=?= report\r\nMIME-Version: 1.0\r\n"
             "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
             "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
             "caf=C3=A9 soft=\r\nbreak\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nhi\r\n"
             "--b1\r\nContent-Type: application/octet-stream; name=\"r.bin\"\r\nContent-Transfer-Encoding: base64\r\n"
             "Content-Disposition: attachment; filename=\"r.bin\"\r\n\r\nc2VjcmV0IHRva2Vu\r\n--b1--\r\nepilogue\r\n")

MESSAGES = {
    "simple": "Subject: hello\r\nFrom: a@x.test\r\n\r\nbody\r\n",
    "lf-folded": "Received: from a\n\tby b; date\nSubject: a\n folded\n value\n\nbody\n",
    "no-separator": "Subject: x\r\nnot a field\r\nmore",
    "headerless-indented": " indented first line\r\nsecond\r\n",
    "obsolete-space": "Subject : spaced\r\nX-Empty:\r\n\r\n",
    "multipart": MULTIPART,
}

RECEIVED = {
    "stamp": "mail.sender.test\nmail.sender.test\n192.0.2.25\nbob@example.org\n"
             "Received: from mail.sender.test (mail.sender.test [192.0.2.25])\r\n\tby mx1.example.org (mailsim) "
             "with ESMTP id 4F2A9C01B7\r\n\tfor <bob@example.org>; Mon, 05 Jan 2026 09:00:01 +0000\r\n"
             "Received: from [192.0.2.1] ([192.0.2.1])\r\n\tby mx2.example.org with SMTP id X;\r\n\tdate\r\n\r\n",
    "literal-ipv6": "[IPv6:2001:db8::1]\n\n2001:db8::1\n\nfrom x (y [IPv6:2001:db8::1]) by z",
}

DSN_ORIGINAL = ("From: alice@sender.test\r\nTo: bob@example.org\r\nSubject: Hello\r\n"
                "Message-ID: <1.dsn-test@sender.test>\r\n\r\nHi.\r\n")

DSN = {
    # option byte: bits 0-1 action (0 failed, 1 delayed, 2 delivered), 4 RET=FULL, 8 RET=HDRS.
    "failure": b"\x00550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local "
               b"recipient table\nbob@example.org\nmx1.example.org\nQQ+2B314\n" + DSN_ORIGINAL.encode(),
    "delay-hdrs": b"\x09451 4.7.1 try later\ncarol@example.org\n\nENV\n" + DSN_ORIGINAL.encode(),
    "boundary-in-original": b"\x04550 no\nb@y.test\nmx\nE\n--=_mailsim_0\r\nContent-Type: text/plain\r\n\r\n--x--\r\n",
}

ENCODED_WORDS = {
    "b-utf8": b"\x00Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln",
    "q-mixed": b"\x01Hello W\xc3\xb6rld gr\xc3\xbc\xc3\x9ft again",
    "looks-encoded": b"\x00a =?x?= b",
    "decode-examples": b"\x00(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=) =?US-ASCII?Q?Keith_Moore?= =?utf-8*en?B?w6k=?=",
    "doubled-spaces": b"\x01\xc3\xa9  \xc3\xa9   x",
}

MIME = {
    "content-type": b'multipart/mixed; boundary="b1"; charset=utf-8 (comment)\n' + MULTIPART.split("\r\n\r\n", 1)[1].encode(),
    "disposition": b'attachment; filename="a b.txt"; size=10\n=41=42=\r\n=ZZ trailing  \r\nc2VjcmV0\r\n',
}

# ---- policy and auth ---------------------------------------------------

SPF_RECORDS = {
    "mechanisms": b"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx:mx.example.org/24//64 ptr "
                  b"include:_spf.example.net exists:%{i}._spf.%{d} -all",
    "modifiers": b"v=spf1 ~all redirect=_spf.example.org exp=explain._spf.%{d} unknown=%{l}",
    "selection": b"v=spf1 -all\0v=spf1;+all\0google-site-verification=x\0v=spf10",
    "errors": b"v=spf1 ip4:300.1.2.3 a:%{z} all/24",
    "cidr": b"192.0.2.1/24",
}

SPF_MACROS = {
    "rfc7208-7.4-s": b"%{s}", "rfc7208-7.4-o": b"%{o}", "rfc7208-7.4-d4": b"%{d4}",
    "rfc7208-7.4-ir": b"%{ir}.%{v}._spf.%{d2}", "rfc7208-7.4-lr": b"%{lr-}.lp._spf.%{d2}",
    "rfc7208-7.4-l1r": b"%{l1r-}.lp._spf.%{d2}", "escapes": b"%%%_%-%{L}%{S}",
    "explanation": b"%{i} is not one of %{d}'s designated mail servers (%{c} %{r} %{t})",
}

DKIM_SIGNATURE = {
    "rfc8463-ed25519": b"v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n d=football.example.com; i=@football.example.com;\r\n"
                       b" q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n subject : date : message-id : "
                       b"from : subject : date;\r\n bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
                       b" b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
                       b" Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
    "every-tag": b"v=1; a=rsa-sha256; c=simple; d=Example.ORG; s=s1; h=From:To; i=user@sub.example.org; "
                 b"l=100; t=1767603600; x=1767690000; z=From:a@b|To:c@d; q=dns/txt; bh=AAAA; b=AAAA",
    "bad": b"v=2; a=rsa-sha1; d=example.org; s=s; h=To; bh=; b=",
}

DKIM_KEY = {
    "every-tag": b"v=DKIM1; k=RSA; h=sha1:sha256; s=email:*; t=y:s; n=a note; p=AAAA",
    "rfc8463-ed25519": b"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "revoked": b"v=DKIM1; p=",
    "fws": b"v=DKIM1; p=AA\r\n AA ;",
}

DMARC = {
    "every-tag": b"v=DMARC1; p=quarantine; sp=reject; adkim=s; aspf=r; pct=50; "
                 b"rua=mailto:a@example.org!10m,mailto:b@example.org; ruf=mailto:f@example.org; fo=1:d:s; rf=afrf; ri=3600",
    "assumed": b"v=DMARC1; rua=mailto:d@example.org",
    "lenient": b"v=DMARC1;; p=reject;; pct=200; bogus=x;",
    "not-dmarc": b"v=spf1 -all",
}

AUTH_RESULTS = {
    "receiver": b" mx.example.org;\r\n spf=pass (mx.example.org: 192.0.2.1 is permitted) smtp.mailfrom=a@example.com;\r\n"
                b" dkim=pass header.d=example.com header.s=s1 header.b=AbC/+dEf;\r\n"
                b" dmarc=pass (p=reject dis=none) header.from=example.com",
    "google": b" mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=Ab12/+Cd;\r\n"
              b"       spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender)"
              b" smtp.mailfrom=a@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com",
    "odd": b"\"host;with;semicolons\" 1; x-test/2=pass (nested (parens) and \\\\ backslash) reason=\"a \\\"quoted\\\" reason\""
           b" smtp.mailfrom=<>",
    "none": b"example.com (a comment) 1; none",
}


def raw(text):
    """Python strings here stand for octets: each character below 256 is one octet."""
    return text.encode("latin-1") if isinstance(text, str) else text


def smtp_seed(opts, split, text):
    return bytes([opts, split]) + raw(text)


def one_byte(opts, text):
    return bytes([opts]) + raw(text)


def corpora():
    c = {}
    c["smtp_server"] = {k: smtp_seed(*v) for k, v in SMTP_SERVER.items()}
    c["smtp_client"] = {k: smtp_seed(*v) for k, v in SMTP_CLIENT.items()}
    data_streams = {
        "stuffed": "Subject: hi\r\n\r\n..dot\r\n.\r\n",
        "bare-lf": "a\nb\r\n.\r\n",
        "smuggling": "x\n.\nMAIL\r\nx\r.\r\n\r\n.\r\nafter",
        "empty": ".\r\n",
        "long-line": "x" * 1100 + "\r\n.\r\n",
        "unterminated": "no end\r\n.",
    }
    c["smtp_data_reader"] = {k: one_byte(i, v) for i, (k, v) in enumerate(data_streams.items())}
    framing = {
        "commands": (0x00, "EHLO c\r\nMAIL FROM:<a@x.test>\nNOOP " + "x" * 506 + "\r\nQUIT\r\n"),
        "small-limit": (0x11, "abcdefgh\r\nabcdef\r\r\n"),
        "replies": (0x00, GREETING + EHLO_FULL + "250-2.0.0 a\r\n250 b\r\n550 5.1.1 no\r\n354 go\r\n"),
        "malformed-reply": (0x00, "250-a\r\n251 b\r\n"),
    }
    c["smtp_framing"] = {k: one_byte(*v) for k, v in framing.items()}
    syntax = {
        "mail": "MAIL FROM:<a@x.test> SIZE=100 BODY=8BITMIME RET=FULL ENVID=QQ+2B314 AUTH=<>",
        "rcpt": "RCPT TO:<\"john q\"@[IPv6:2001:db8::1]> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;j+2Bq@y.test",
        "source-route": "RCPT TO:<@a.test,@b.test:u@d.test>",
        "postmaster": "RCPT TO:<Postmaster>",
        "auth": "AUTH PLAIN AGFsaWNlAHB3",
        "xtext": "QQ+2B314+20x",
        "capabilities": "PIPELINING\nSIZE 1000\nAUTH plain LOGIN\n8BITMIME\nDSN\nSMTPUTF8\nENHANCEDSTATUSCODES",
        "address-literal": "a@[192.0.2.1]",
    }
    c["smtp_syntax"] = {k: raw(v) for k, v in syntax.items()}
    c["pop3_server"] = {k: one_byte(*v) for k, v in POP3_SERVER.items()}
    c["pop3_client"] = {k: one_byte(*v) for k, v in POP3_CLIENT.items()}
    c["imap_command"] = {k: one_byte(*v) for k, v in IMAP_COMMAND.items()}
    c["imap_server"] = {k: one_byte(*v) for k, v in IMAP_SERVER.items()}
    c["imap_client"] = {k: one_byte(*v) for k, v in IMAP_CLIENT.items()}
    c["dns_wire"] = dict(DNS_QUERIES)
    c["dns_respond"] = dict(DNS_QUERIES)
    c["dns_master_file"] = DNS_MASTER
    c["dns_presentation"] = DNS_PRESENTATION
    c["message_parse"] = {k: raw(v) for k, v in MESSAGES.items()}
    c["message_mime"] = MIME
    c["message_encoded_words"] = ENCODED_WORDS
    c["message_dsn"] = DSN
    c["message_received"] = {k: raw(v) for k, v in RECEIVED.items()}
    c["spf_record"] = SPF_RECORDS
    c["spf_macro"] = SPF_MACROS
    c["dkim_signature"] = DKIM_SIGNATURE
    c["dkim_key"] = DKIM_KEY
    c["dmarc_record"] = DMARC
    c["auth_results"] = AUTH_RESULTS
    loader = {p.stem: p.read_bytes() for p in sorted((ROOT / "scenarios").glob("*.json"))}
    loader["with-zone"] = (ROOT / "tests/sim/scenario/data/with-zone.json").read_bytes()
    c["scenario_loader"] = loader
    return c


def main():
    for target, seeds in corpora().items():
        folder = HERE / "corpus" / target
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name, data in seeds.items():
            (folder / name).write_bytes(raw(data))
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
