PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES(2);
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  json TEXT NOT NULL CHECK (json_valid(json)),
  hash TEXT NOT NULL,
  created TEXT NOT NULL
);
INSERT INTO experiments VALUES(1,'tiny_v2','{"data":{"params":{"count":40,"size":16},"plugin":"synthetic","split":{"test":0.2,"train":0.6,"val":0.2}},"description":"two tiny trials, written by the schema-v2 stegolab to test that newer versions read, resume and report its databases","eval":{"batch_size":8,"every":1,"quantize_stego":true},"model":{"params":{"blocks":1,"hidden":8},"plugin":"star_inn"},"name":"tiny_v2","reports":[{"decimals":3,"format":"markdown","metrics":["rec_psnr","hide_psnr","ber"],"name":"main","rows":["transform.plugin"]}],"strategy":{"params":{"precision":"fp32"},"plugin":"standard"},"sweep":{"axes":{"transform.plugin":["haar_dwt","ilwt53"]}},"train":{"batch_size":4,"deterministic":true,"device":"cpu","epochs":2,"optimizer":{"lr":0.002,"name":"adam"},"seed":3,"threads":1},"transform":{"params":{"levels":1},"plugin":"haar_dwt"}}','3b8131ea23bbc2ca','2026-12-05T20:09:10.781Z');
CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','interrupted')),
  error TEXT NOT NULL DEFAULT '',
  seed INTEGER NOT NULL DEFAULT 0,
  repeat INTEGER NOT NULL DEFAULT 0,
  device TEXT NOT NULL DEFAULT '',
  torch_version TEXT NOT NULL DEFAULT '',
  git_revision TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  plugins TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(plugins)),
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  sweep_point TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(sweep_point)),
  checkpoint_dir TEXT NOT NULL DEFAULT '',
  last_epoch INTEGER NOT NULL DEFAULT -1,
  started_at TEXT,
  ended_at TEXT,
  UNIQUE (experiment_id, key)
);
INSERT INTO trials VALUES(1,1,'transform.plugin=haar_dwt#r0','done','',3,0,'cpu','1.13.0','7af996cd85d7ca7c5e791a019f3c09f2cd117ed4','vm','{"data":{"name":"synthetic","version":"1.0"},"loss":{"name":"stego_loss","version":"1.0.0"},"model":{"name":"star_inn","version":"1.0.0"},"strategy":{"name":"standard","version":"1.0"},"transform":{"name":"haar_dwt","version":"1.0.0"}}','{"data":{"params":{"channels":3,"count":40,"size":16},"plugin":"synthetic","split":{"test":0.2,"train":0.6,"val":0.2}},"description":"two tiny trials, written by the schema-v2 stegolab to test that newer versions read, resume and report its databases","eval":{"batch_size":8,"every":1,"quantize_stego":true},"loss":{"params":{"edge":0.0,"hide_end":24.0,"hide_ramp":0.7,"hide_start":2.0,"low_freq":0.0,"noise_std":0.0,"perturb_end":0.0,"perturb_start":0.0,"rec_mse":3.0,"rec_ssim":5.0,"tv":0.0,"wavelet":0.0},"plugin":"stego_loss"},"model":{"params":{"blocks":1,"clamp":2.0,"composition":"bands","hidden":8,"k_c":0.06,"k_y":0.02,"lost":"zeros","memory":"standard"},"plugin":"star_inn"},"name":"tiny_v2","strategy":{"params":{"accumulation":1,"channels_last":false,"clip_norm":0.0,"cudnn_benchmark":false,"growth_interval":2000,"loss_scale_init":65536.0,"precision":"fp32"},"plugin":"standard"},"train":{"batch_size":4,"best_metric":"rec_psnr","deterministic":true,"device":"cpu","epochs":2,"explode_factor":20.0,"max_nonfinite_steps":3,"max_restores":3,"optimizer":{"beta1":0.9,"beta2":0.999,"eps":1e-08,"lr":0.002,"name":"adam","weight_decay":0.0},"restore_lr_factor":0.5,"schedule":{"gamma":0.5,"min_factor":0.0,"name":"cosine","step_size":1000,"warmup_steps":0},"seed":3,"steps_per_epoch":0,"threads":1},"transform":{"params":{"levels":1},"plugin":"haar_dwt"}}','{"transform.plugin":"haar_dwt"}','v2.runs/1',1,'2026-12-05T20:09:10.805Z','2026-12-05T20:09:10.998Z');
CREATE TABLE epoch_metrics (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  metric TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0 CHECK (is_nan IN (0,1) AND (is_nan = 1) = (value IS NULL)),
  PRIMARY KEY (trial_id, epoch, split, metric)
);
INSERT INTO epoch_metrics VALUES(1,0,'train','loss',10.021441300710042909,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','loss/hide_mse',4.8342490792274475097,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','loss/rec_mse',0.67728159825007117067,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','loss/rec_ssim',4.5099106629689531544,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','lr',0.0012588190451025206735,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','images_per_s',246.29739079933108314,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','step_time_ms',14.654311666666666625,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','data_wait_ms',1.5862176666666665258,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','nonfinite_steps',0.0,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','exploded_steps',0.0,0);
INSERT INTO epoch_metrics VALUES(1,0,'train','overflow_steps',0.0,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','hide_psnr',14.010653495788574218,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','hide_psnr_y',16.62999725341796875,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','hide_ssim',0.50021380186080932617,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','hide_mae',40.415851593017578123,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','hide_rmse',51.282123565673828125,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','rec_psnr',12.737471580505371094,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','rec_psnr_y',17.721988677978515625,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','rec_ssim',0.16311119496822357177,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','rec_mae',49.146160125732421875,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','rec_rmse',59.321399688720703124,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','ber',0.49985758463541668517,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','images_per_s',671.28910752029241847,0);
INSERT INTO epoch_metrics VALUES(1,0,'val','payload_bpp',24.0,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','loss',17.119803269704181758,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','loss/hide_mse',11.946067651112874941,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','loss/rec_mse',0.66902386148770653928,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','loss/rec_ssim',4.5047117869059247752,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','lr',3.4074173710931800976e-05,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','images_per_s',569.54084186869386031,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','step_time_ms',6.7126098333333326095,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','data_wait_ms',0.31059149999999996483,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','nonfinite_steps',0.0,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','exploded_steps',0.0,0);
INSERT INTO epoch_metrics VALUES(1,1,'train','overflow_steps',0.0,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','hide_psnr',14.111567497253417968,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','hide_psnr_y',16.705898284912109375,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','hide_ssim',0.50045907497406005859,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','hide_mae',39.776691436767578125,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','hide_rmse',50.715873718261718751,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','rec_psnr',12.755133628845214844,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','rec_psnr_y',17.744077682495117187,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','rec_ssim',0.16191367805004119873,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','rec_mae',49.055992126464843749,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','rec_rmse',59.205780029296875,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','ber',0.498779296875,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','images_per_s',1571.8963790187988251,0);
INSERT INTO epoch_metrics VALUES(1,1,'val','payload_bpp',24.0,0);
CREATE TABLE final_metrics (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  metric TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0 CHECK (is_nan IN (0,1) AND (is_nan = 1) = (value IS NULL)),
  PRIMARY KEY (trial_id, split, metric)
);
INSERT INTO final_metrics VALUES(1,'test','hide_psnr',13.571294784545898437,0);
INSERT INTO final_metrics VALUES(1,'test','hide_psnr_y',15.628152847290039062,0);
INSERT INTO final_metrics VALUES(1,'test','hide_ssim',0.50681412220001220703,0);
INSERT INTO final_metrics VALUES(1,'test','hide_mae',42.30712890625,0);
INSERT INTO final_metrics VALUES(1,'test','hide_rmse',53.746551513671875,0);
INSERT INTO final_metrics VALUES(1,'test','rec_psnr',11.484159469604492187,0);
INSERT INTO final_metrics VALUES(1,'test','rec_psnr_y',16.4725799560546875,0);
INSERT INTO final_metrics VALUES(1,'test','rec_ssim',0.088584773242473602294,0);
INSERT INTO final_metrics VALUES(1,'test','rec_mae',59.767578125000000001,0);
INSERT INTO final_metrics VALUES(1,'test','rec_rmse',68.8210296630859375,0);
INSERT INTO final_metrics VALUES(1,'test','ber',0.52557373046875,0);
INSERT INTO final_metrics VALUES(1,'test','images_per_s',949.95054913672652219,0);
INSERT INTO final_metrics VALUES(1,'test','payload_bpp',24.0,0);
CREATE TABLE throughput (
  trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,
  train_images_per_s REAL,
  eval_images_per_s REAL,
  step_time_ms REAL,
  data_wait_ms REAL,
  peak_memory_mb REAL,
  effective_batch INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra))
);
INSERT INTO throughput VALUES(1,343.88293582949552274,943.83200671190400042,10.683460750000001837,0.9484045833333332176,177.6015625,4,'{"achieved_gflops_per_s":2.153153976814114,"best_epoch":1,"best_metric":"rec_psnr","best_value":12.755133628845215,"device":"cpu","divergence_restores":0,"exploded_steps":0,"flops_per_image":1916928.0,"nonfinite_steps":0,"overflow_steps":0,"precision":"fp32"}');
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL
);
INSERT INTO events VALUES(1,1,0,'checkpoint_best','rec_psnr 12.737472','2026-12-05T20:09:10.931Z');
INSERT INTO events VALUES(2,1,1,'checkpoint_best','rec_psnr 12.755134','2026-12-05T20:09:10.989Z');
CREATE TABLE metric_conventions (
  metric TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  better TEXT NOT NULL DEFAULT '' CHECK (better IN ('higher','lower',''))
, range_min REAL, range_max REAL, colour_space TEXT
  CHECK (colour_space IS NULL OR colour_space IN ('RGB', 'Y')), quantised INTEGER
  CHECK (quantised IS NULL OR quantised IN (0, 1)));
INSERT INTO metric_conventions VALUES('hide_psnr','PSNR of the 8-bit stego against the cover, RGB. Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'RGB',1);
INSERT INTO metric_conventions VALUES('hide_psnr_y','PSNR of the 8-bit stego against the cover on ITU-R BT.601 luma (computed in float from the 8-bit RGB, not re-rounded). Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'Y',1);
INSERT INTO metric_conventions VALUES('hide_ssim','SSIM of the 8-bit stego against the cover: Gaussian window 11x11, sigma 1.5, K1 0.01, K2 0.03, data range 255, valid region, mean over channels, then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','','higher',-1.0,1.0,'RGB',1);
INSERT INTO metric_conventions VALUES('hide_mae','Mean absolute error of the 8-bit stego against the cover, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',1);
INSERT INTO metric_conventions VALUES('hide_rmse','Root mean squared error of the 8-bit stego against the cover, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',1);
INSERT INTO metric_conventions VALUES('rec_psnr','PSNR of the 8-bit recovered secret (extracted from the 8-bit stego) against the secret, RGB. Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'RGB',1);
INSERT INTO metric_conventions VALUES('rec_psnr_y','As rec_psnr on ITU-R BT.601 luma (float from the 8-bit RGB). Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'Y',1);
INSERT INTO metric_conventions VALUES('rec_ssim','SSIM of the 8-bit recovered secret against the secret (as hide_ssim). Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','','higher',-1.0,1.0,'RGB',1);
INSERT INTO metric_conventions VALUES('rec_mae','Mean absolute error of the 8-bit recovered secret, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',1);
INSERT INTO metric_conventions VALUES('rec_rmse','Root mean squared error of the 8-bit recovered secret, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',1);
INSERT INTO metric_conventions VALUES('ber','Bit error rate: differing bits between the 8-bit secret and the 8-bit recovered secret over all bits of the split (8 bits per channel, 24 bpp for RGB); every bit of a NaN recovered value counts as wrong.','fraction','lower',0.0,1.0,'RGB',1);
INSERT INTO metric_conventions VALUES('hide_psnr_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: PSNR of the 8-bit stego against the cover, RGB. Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'RGB',0);
INSERT INTO metric_conventions VALUES('hide_psnr_y_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: PSNR of the 8-bit stego against the cover on ITU-R BT.601 luma (computed in float from the 8-bit RGB, not re-rounded). Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'Y',0);
INSERT INTO metric_conventions VALUES('hide_ssim_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: SSIM of the 8-bit stego against the cover: Gaussian window 11x11, sigma 1.5, K1 0.01, K2 0.03, data range 255, valid region, mean over channels, then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','','higher',-1.0,1.0,'RGB',0);
INSERT INTO metric_conventions VALUES('hide_mae_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: Mean absolute error of the 8-bit stego against the cover, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',0);
INSERT INTO metric_conventions VALUES('hide_rmse_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: Root mean squared error of the 8-bit stego against the cover, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',0);
INSERT INTO metric_conventions VALUES('rec_psnr_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: PSNR of the 8-bit recovered secret (extracted from the 8-bit stego) against the secret, RGB. Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'RGB',0);
INSERT INTO metric_conventions VALUES('rec_psnr_y_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: As rec_psnr on ITU-R BT.601 luma (float from the 8-bit RGB). Mean over images of per-image PSNR (10 log10(255^2 / MSE)); identical images (infinite PSNR) count as 100 dB. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','dB','higher',0.0,100.0,'Y',0);
INSERT INTO metric_conventions VALUES('rec_ssim_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: SSIM of the 8-bit recovered secret against the secret (as hide_ssim). Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','','higher',-1.0,1.0,'RGB',0);
INSERT INTO metric_conventions VALUES('rec_mae_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: Mean absolute error of the 8-bit recovered secret, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',0);
INSERT INTO metric_conventions VALUES('rec_rmse_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: Root mean squared error of the 8-bit recovered secret, per image then mean over images. Images on the 0-255 scale, x255 = round((x + 1) * 127.5) clamped to [0, 255].','0-255','lower',0.0,255.0,'RGB',0);
INSERT INTO metric_conventions VALUES('ber_float','Float path (eval.quantize_stego false): stego not quantised before extraction, stego and recovery scaled to 0-255 and clamped but not rounded (ber_float still rounds the recovery to 8 bits). Otherwise: Bit error rate: differing bits between the 8-bit secret and the 8-bit recovered secret over all bits of the split (8 bits per channel, 24 bpp for RGB); every bit of a NaN recovered value counts as wrong.','fraction','lower',0.0,1.0,'RGB',1);
INSERT INTO metric_conventions VALUES('loss','Training loss: mean over the epoch''s applied optimiser steps of the strategy''s step loss (mean over micro-batches).','','lower',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('loss/<term>','One weighted loss term, averaged like loss.','','lower',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('lr','Learning rate of the epoch''s last optimiser step.','','',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('images_per_s','Images per second. Split train: training images over the epoch''s training-loop wall time (steps and data waits). Splits val and test: evaluated images over the evaluation''s wall time (embed, 8-bit quantisation, extract, metrics).','images/s','higher',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('step_time_ms','Mean wall time of the epoch''s optimiser steps, data waits excluded.','ms','lower',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('data_wait_ms','Mean time per optimiser step spent waiting for the next batch.','ms','lower',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('nonfinite_steps','Optimiser steps skipped in the epoch because the loss or gradients were inf/NaN (fp16 loss-scale overflows excluded).','steps','lower',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('exploded_steps','Optimiser steps skipped in the epoch because the finite loss exceeded train.explode_factor x the median of the recent losses.','steps','lower',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('overflow_steps','fp16: optimiser steps skipped in the epoch because the scaled gradients overflowed (the loss scale was halved).','steps','lower',NULL,NULL,NULL,NULL);
INSERT INTO metric_conventions VALUES('payload_bpp','Hidden payload in bits per cover pixel: the secret is a whole image of the cover''s size, 8 bits per channel (24 for RGB).','bpp','higher',NULL,NULL,NULL,NULL);
CREATE INDEX experiments_by_name ON experiments(name, hash);
CREATE INDEX trials_by_status ON trials(experiment_id, status);
CREATE INDEX epoch_metrics_by_metric ON epoch_metrics(metric, split, trial_id, epoch);
CREATE INDEX final_metrics_by_metric ON final_metrics(metric, split);
CREATE INDEX events_by_trial ON events(trial_id, id);
CREATE VIEW trial_summary AS
  SELECT t.id AS trial_id, e.id AS experiment_id, e.name AS experiment, t.key, t.status,
         t.repeat, t.seed, t.sweep_point, t.device, t.last_epoch, t.started_at, t.ended_at,
         (julianday(t.ended_at) - julianday(t.started_at)) * 86400.0 AS duration_s,
         tp.train_images_per_s, tp.eval_images_per_s, tp.step_time_ms, tp.data_wait_ms,
         tp.peak_memory_mb, tp.effective_batch, t.error, t.config
  FROM trials t
  JOIN experiments e ON e.id = t.experiment_id
  LEFT JOIN throughput tp ON tp.trial_id = t.id;
CREATE VIEW final_results AS
  SELECT s.experiment, s.experiment_id, s.trial_id, s.key, s.status, s.repeat, s.sweep_point,
         f.split, f.metric, f.value, f.is_nan
  FROM trial_summary s
  JOIN final_metrics f ON f.trial_id = s.trial_id;
COMMIT;
