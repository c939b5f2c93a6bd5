# "5 декабря", not Django's "5 Декабрь": a day and month take the month in the genitive (E).
MONTH_DAY_FORMAT = "j E"
