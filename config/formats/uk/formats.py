# "5 грудня", not Django's "05 Грудень": a day and month take the month in the genitive (E).
MONTH_DAY_FORMAT = "j E"
