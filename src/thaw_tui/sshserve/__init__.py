"""The SSH server behind `thaw serve`: one sandboxed `thaw` process per reader.

Split by concern: `config` and `durations` (what the host asked for), `identity`
(host key, reader keys), `limits` (rate and caps), `childenv` (what a reader's process
may see), `child` (that process on its pseudo-terminal), `terminal` (bytes on the wire),
`idle` (the idle timeout), `session` (one reader's channel), `server` (connections and
refusals), `quickack` (a login without TCP stalls), `connlog` (one line per
connection), and `forkserver` with `warm` (the warm process readers are forked from).
No textual or rich here: only `warm` imports the app, inside its own process.
"""
