from .partial_dates import date_after, iso_date, partial_date

__all__ = ["date_after", "iso_date", "partial_date"]
