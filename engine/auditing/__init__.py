"""The tamper-evident audit: each dossier's history as a hash chain, daily anchors per province, verifying the
chains and anchors (also in the archive), moving old rows to the archive."""
