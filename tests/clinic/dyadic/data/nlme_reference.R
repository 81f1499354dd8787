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

# --- Truth and Bias (Acitelli data): other_pos judged against the partner's self_pos
a <- d
a$truth <- ave(a$self_pos, a$cuplid, FUN = function(x) rev(x))  # the partner's own rating
mu <- tapply(a$truth, a$gender, mean)  # truth mean per perceiver role
a$mu <- mu[as.character(a$gender)]
a$J <- a$other_pos - a$mu; a$T <- a$truth - a$mu; a$B <- a$self_pos - a$mu
for (meth in c("REML", "ML")) {
  m <- gls(J ~ 0 + wife + husband + wife:T + husband:T + wife:B + husband:B, data = a,
           method = meth, correlation = corCompSymm(form = ~ 1 | cuplid),
           weights = varIdent(form = ~ 1 | gender))
  cat("truthbias distinguishable", meth, sprintf("%.7f", as.numeric(logLik(m))), "\n")
  print(summary(m)$tTable[, 1:2], digits = 10)
  cat("rho", sprintf("%.8f", coef(m$modelStruct$corStruct, unconstrained = FALSE)),
      "sigma", sprintf("%.8f", m$sigma), "\n")
  print(coef(m$modelStruct$varStruct, unconstrained = FALSE), digits = 10)
}
mu_all <- mean(a$truth)
a$J2 <- a$other_pos - mu_all; a$T2 <- a$truth - mu_all; a$B2 <- a$self_pos - mu_all
m <- gls(J2 ~ T2 + B2, data = a, method = "REML", correlation = corCompSymm(form = ~ 1 | cuplid))
cat("truthbias indistinguishable REML", sprintf("%.7f", as.numeric(logLik(m))), "\n")
print(summary(m)$tTable[, 1:2], digits = 10)
cat("rho", sprintf("%.8f", coef(m$modelStruct$corStruct, unconstrained = FALSE)),
    "sigma", sprintf("%.8f", m$sigma), "\n")

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
# truthbias distinguishable REML: logLik -203.5626988; wife 0.08450653949 (0.04513700647),
#   husband 0.02930221535 (0.04268931087), wife:T 0.25169419061 (0.10437670109),
#   husband:T 0.25970147180 (0.09325446801), wife:B 0.37964390115 (0.09961435470),
#   husband:B 0.18625739842 (0.09771276200); rho 0.14093959; sigma 0.48777436;
#   husband/wife SD ratio 0.9361549175
# truthbias distinguishable ML: logLik -193.2269613
# truthbias indistinguishable REML: logLik -201.0720385; (Intercept) 0.07702702703
#   (0.02930722613), T2 0.26918052287 (0.06648420211), B2 0.27352834896 (0.06648420211);
#   rho 0.14059402; sigma 0.47212286
