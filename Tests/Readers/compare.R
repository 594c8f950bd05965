# Compares an exported .sav (haven::read_sav, user_na = TRUE) or .dta (haven::read_dta) with
# the CSV of the same table, cell by cell, dates and the special codes -7/-8/-9 included.
#
#   Rscript compare.R TABLE.sav TABLE.csv
#   Rscript compare.R TABLE.dta TABLE.csv
#
# Prints "ok N cells" or the mismatches and exits 1 on any. Used by ReaderAgreementTests.
if (!requireNamespace("haven", quietly = TRUE)) {
  cat("haven is not installed: apt-get install r-cran-haven (.ci/run does)\n")
  quit(status = 2)
}
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
reference <- args[2]
sav <- grepl("\\.sav$", path)
data <- if (sav) haven::read_sav(path, user_na = TRUE) else haven::read_dta(path)
csv <- read.csv(reference, colClasses = "character", na.strings = character(0), check.names = FALSE,
                encoding = "UTF-8", fileEncoding = "UTF-8")
problems <- character(0)
cells <- 0
tags <- c("-7" = "a", "-8" = "b", "-9" = "c")
if (!identical(names(data), names(csv))) problems <- c(problems, "columns differ")
for (name in intersect(names(data), names(csv))) {
  x <- data[[name]]
  want <- csv[[name]]
  raw <- unclass(x)
  format <- attr(x, if (sav) "format.spss" else "format.stata")
  if (is.null(format)) format <- ""
  is_date <- inherits(x, "Date") || grepl("^DATE[0-9]|^%td", format)
  is_time <- inherits(x, "POSIXct") || grepl("^DATETIME|^%tc", format)
  # A computed number declares no special codes: -7/-8/-9 in the CSV are plain numbers there.
  declared <- !is.null(attr(x, "na_values")) || !is.null(attr(x, "na_range")) ||
    any(haven::is_tagged_na(attr(x, "labels")))
  for (i in seq_along(want)) {
    cells <- cells + 1
    w <- want[i]
    if (is.character(raw)) {
      ok <- identical(as.character(raw[i]), w)
    } else if (w == "") {
      ok <- is.na(raw[i]) && (sav || is.na(haven::na_tag(x[i])))
    } else if (w %in% names(tags) && declared) {
      if (!sav) {
        ok <- identical(haven::na_tag(x[i]), tags[[w]])
      } else if (is_date) {
        # haven gives the days since 1970 of that many days before 1582-10-14, flagged missing.
        ok <- isTRUE(raw[i] == -141428 + as.numeric(w)) && is.na(x[i])
      } else if (is_time) {
        ok <- isTRUE(abs(raw[i] - (-141428 + as.numeric(w)) * 86400) < 1e-6)
      } else {
        ok <- isTRUE(raw[i] == as.numeric(w)) && is.na(x[i])
      }
    } else if (is_date) {
      ok <- isTRUE(as.numeric(raw[i]) == as.numeric(as.Date(w)))
    } else if (is_time) {
      stamp <- as.POSIXct(sub("Z$", "", sub("T", " ", w)), tz = "UTC")
      ok <- isTRUE(abs(as.numeric(raw[i]) - as.numeric(stamp)) < 1e-3)
    } else {
      ok <- isTRUE(abs(as.numeric(raw[i]) - as.numeric(w)) <= 1e-9 * max(1, abs(as.numeric(w))))
    }
    if (!ok) problems <- c(problems, sprintf("row %d %s: CSV '%s', haven %s", i, name, w, format(raw[i])))
  }
}
if (length(problems) > 0 || cells == 0) {
  cat(length(problems), "mismatches in", path, "(haven):\n")
  cat(head(problems, 25), sep = "\n")
  quit(status = 1)
}
cat("ok", cells, "cells\n")
