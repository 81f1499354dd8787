# Reference values for tests/clinic/dyadic/test_nlme_reference.py, produced by
# R 4.2.2 with nlme 3.1.162 (Debian bookworm: apt-get install r-base-core r-cran-nlme).
# Run from the repository root:  Rscript tests/clinic/dyadic/data/nlme_reference.R
library(nlme)
here <- "tests/clinic/dyadic/data"

# --- APIM (Acitelli data): the ML standard errors -----------------------------
d <- read.csv(file.path(here, "acitelli_individual.csv"))
d <- d[order(d$cuplid, d$gender), ]
d$other_pos_P <- ave(d$other_pos, d$cuplid, FUN = function(x) rev(x))
d$wife <- as.numeric(d$gender == -1)
d$husband <- as.numeric(d$gender == 1)
for (meth in c("REML", "ML")) {
  ind <- gls(satisfaction ~ other_pos + other_pos_P, data = d, method = meth,
             correlation = corCompSymm(form = ~ 1 | cuplid))
  cat("APIM indistinguishable", meth, sprintf("%.7f", as.numeric(logLik(ind))), "\n")
  print(summary(ind)$tTable[, 1:2], digits = 10)
  dis <- gls(satisfaction ~ 0 + husband + wife + husband:other_pos + wife:other_pos +
               husband:other_pos_P + wife:other_pos_P,
             data = d, method = meth, correlation = corCompSymm(form = ~ 1 | cuplid),
             weights = varIdent(form = ~ 1 | gender))
  cat("APIM distinguishable", meth, sprintf("%.7f", as.numeric(logLik(dis))), "\n")
  print(summary(dis)$tTable[, 1:2], digits = 10)
}

# --- Dyadic growth model (Kashy's diary data) ---------------------------------
k <- read.csv(file.path(here, "kashy_person_period_pairwise.csv"),
              na.strings = c(" ", ""), strip.white = TRUE)
k$r1 <- as.numeric(k$genderS == "M")
k$r2 <- as.numeric(k$genderS == "F")
k <- k[!is.na(k$satisf_A), ]
for (meth in c("REML", "ML")) {
  m <- lme(satisf_A ~ 0 + r1 + r2 + r1:time + r2:time,
           random = ~ 0 + r1 + r2 + r1:time + r2:time | dyadid,
           correlation = corCompSymm(form = ~ 1 | dyadid/time),
           weights = varIdent(form = ~ 1 | genderS),
           data = k, method = meth,
           control = lmeControl(maxIter = 500, msMaxIter = 500, niterEM = 100, opt = "optim"))
  cat("growth", meth, "logLik", sprintf("%.6f", as.numeric(logLik(m))), "\n")
  print(summary(m)$tTable[, 1:2], digits = 10)
  print(VarCorr(m))
  cat("rho", sprintf("%.8f", coef(m$modelStruct$corStruct, unconstrained = FALSE)), "\n")
  cat("sigma", sprintf("%.8f", m$sigma), "\n")
  print(coef(m$modelStruct$varStruct, unconstrained = FALSE), digits = 10)
}

# Output (R 4.2.2, nlme 3.1.162), as used in the tests:
# APIM ML, indistinguishable: SE intercept 0.32188743732, actor and partner 0.04729259478
# APIM ML, distinguishable: SE husband 0.34290340369, wife 0.41281954550,
#   husband:other_pos 0.06771568197, wife:other_pos 0.07392216648,
#   husband:other_pos_P 0.06140252508, wife:other_pos_P 0.08152254179
# growth REML: logLik -2822.998483; r1 6.259147262931 (0.069612347985),
#   r2 6.388407939279 (0.057239216098), r1:time 0.019184715548 (0.006214382881),
#   r2:time 0.009855261595 (0.006301708433); SDs r1 0.68939703, r2 0.55531832,
#   r1:time 0.04998270, r2:time 0.04786217; corr r1-r2 0.811, r1:time-r2:time 0.462;
#   rho 0.43255538; sigma 0.57489951; F/M SD ratio 1.106542645
# growth ML: logLik -2810.383062; r1 6.259150263341 (0.069321991251),
#   r2 6.388408013679 (0.056998817472), r1:time 0.019183658939 (0.006188521082),
#   r2:time 0.009855180341 (0.006275817924); SDs r1 0.68587445, r2 0.55234302,
#   r1:time 0.04959675, r2:time 0.04745116; rho 0.43253600; sigma 0.57488898;
#   F/M SD ratio 1.106569514
