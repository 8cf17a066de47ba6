from .mail_pages import mail_detail, mail_file_ticket, mail_set_aside, mail_waiting

__all__ = ["mail_detail", "mail_file_ticket", "mail_set_aside", "mail_waiting"]
