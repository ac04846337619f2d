"""Citizens' personal data in our logs and in the conversation store.

- `mask`: phone numbers and e-mail addresses become <phone> / <email>.
  `install_log_masking` applies it to every log line of the process
  (Rasa's structured logs end in the standard logging module too).
- `purge`: deletes the conversations whose last message is older than the
  retention period (data/settings.yml, `privacy.retention_days`), from
  SQLite or PostgreSQL. `python -m bot purge` runs it; schedule it daily.
"""

import logging
import re
import time
from typing import Any

# Vietnamese numbers as typed: 0912345678, 0912 345 678, +84 912.345.678, 0299.3626800
PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask(text: str) -> str:
    return PHONE.sub("<phone>", EMAIL.sub("<email>", text))


def install_log_masking() -> None:
    """Mask every log record of this process (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "masks_personal_data", False):
        return

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logging's to report
            return record
        record.msg, record.args = mask(message), ()
        return record

    masked_record.masks_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked_record)


def purge(database_url: str, retention_days: float, now: float = 0.0) -> int:
    """Deletes every event of the conversations idle for longer than
    `retention_days`; returns how many conversations went."""
    import sqlalchemy

    cutoff = (now or time.time()) - retention_days * 86400
    engine = sqlalchemy.create_engine(database_url)
    idle = sqlalchemy.text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff")
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(idle, {"cutoff": cutoff})]
        for start in range(0, len(senders), 500):
            batch = senders[start : start + 500]
            connection.execute(
                sqlalchemy.text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
                    sqlalchemy.bindparam("senders", expanding=True)
                ),
                {"senders": batch},
            )
    engine.dispose()
    return len(senders)
