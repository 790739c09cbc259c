export const usage = `kiosk — ID-photo booth firmware

Usage:
  kiosk start [--data-dir DIR] [--seed S] [--autoplay] [--shell browser|electron|none] [--no-browser] [--port N]
      Run the booth with the configured hardware until stopped (Ctrl-C). The default config
      runs the demo on simulated hardware. Logs every state change as a JSON line.
      --autoplay: scripted customers use the simulated booth in real time (a demo to watch).
      --shell: the screen. browser: serves the kiosk ui (dist/renderer, built by \`npm run build\`)
      on 127.0.0.1 and opens it in Chromium full screen when there is a display; electron: the
      same bridge shown in an Electron kiosk window; none: headless. Default: electron when its
      binary is installed, else browser; none with --autoplay. Prints "kiosk ui: URL" on stdout.
      --no-browser (or KIOSK_NO_BROWSER=1): serve only, open no window. --port N: the ui's port
      (default: any free port).
      SIGHUP reloads the config file; an invalid file is refused and the booth keeps the last good one.
  kiosk simulate --sessions N [--seed S] [--faults LIST] [--payment simulated|cctalk] [--printer URI] [--data-dir DIR]
      Run N scripted customers through the real flow on simulated hardware and simulated time,
      then print one JSON line accounting for every session and all money (minor units).
      Faults: printer-jam, printer-out-of-paper, camera-disconnect, camera-timeout,
      payment-timeout, receipt-out-of-paper.
      --payment cctalk: pay through the real ccTalk adapter over a pty pair (socat) to coin
      acceptor and bill validator emulators; adds the faults cctalk-garbage, cctalk-bad-checksum,
      cctalk-dropped-reply, cctalk-device-reset, cctalk-lost-events and note-jam.
      --printer URI: print every sheet on the IPP printer or CUPS queue at URI (e.g. a running
      ippeveprinter) instead of the simulated printer; its status controls the booth.
  kiosk simulate --campaign [--campaign-seeds N] [--faults kill,disk-full,clock-forward,clock-back]
      The fault campaign: for every crash point of a paid session (after a credit, after the
      order, mid-print, after a sheet, during delivery, during ending, during a payout, after a
      voucher is issued, during a redeem), every fault (default all: kill -9; the data dir's disk
      filled to the last byte, freed 10 simulated minutes later; the wall clock 100 days forward;
      3 hours back) and N seeds (default 1), a booth on a fresh data directory with ccTalk coin
      acceptor and hopper emulators on a pty meets the fault there, is restarted, serves one more
      customer, and its books must balance against the devices' own counts. One JSON line per
      case, then a summary; exits 1 if any case fails. Needs socat; disk-full cases need the
      right to mount a tmpfs (root) and are reported as skipped without it.
  kiosk payment probe --port PATH [--device coin|bill] [--address N] [--checksum simple8|crc16]
                      [--echo|--no-echo]
      Ask the ccTalk device on PATH (address 2 for coin, 40 for bill unless --address says)
      who it is and how it is; prints one JSON object. The checksum and echo left out are
      found by trying each (the JSON's "tried" says what failed). Exits 1 when nothing answers.
  kiosk camera probe [--port usb:BUS,DEV] [--data-dir DIR]
      Find the DSLR libgphoto2 sees (on --port, else the config's port, else the first found)
      and print one JSON object: model, port, manufacturer, serial, battery, lens, shots left,
      the main capture settings, how long detection took, and the unit's camera config.
      Run it with the booth stopped: a camera answers one process at a time (otherwise:
      claimed-by-another-process). Exits 1 when no camera answers.
  kiosk camera capture --out FILE [--port usb:BUS,DEV] [--data-dir DIR]
      Take one still as a session would (the booth's own adapter and camera child) and write
      it to FILE (owner only); prints its size and how long the capture took as JSON.
  kiosk camera liveview --seconds N [--port usb:BUS,DEV] [--data-dir DIR]
      Watch the live view for N seconds as the pose coach takes it; prints frames, fps, the
      frame size, how late frames arrive (p50, p95 ms) and how many were dropped, as JSON.
  kiosk print-test --printer URI [--media 4x6|5x7|a6|2x6-strips]
      Print a calibration sheet (grey ramp, colour patches, 10 mm grid) on the IPP printer or
      CUPS queue at URI (ipp://host/ipp/print, ipp://host:631/printers/NAME) and print one JSON
      object: the job's outcome (completed, or failed with its reason), the printer's status
      (state, reasons, prints left) and timings. Exits 1 when the job fails or nothing answers.
  kiosk bench [--sessions N] [--soak N] [--only vision]
      Measure what must be fast on the booth (live face analysis and pose coaching, the still
      check, making a print sheet, writing a credit durably, whole simulated sessions, peak
      memory); one JSON line per figure with its target. Exits 1 when a target is missed.
      --only vision measures live face analysis, live coaching with every check (wasm, 30 fps
      and p95 50 ms) and the still check alone, in under a minute.
      --soak N (at least 2000) adds N simulated sessions with faults on, memory sampled every
      1000: the growth must stay under 5 %.
  kiosk vault status [--json]               Sessions, bytes, oldest, next wipe, clock trust.
  kiosk vault wipe [--older-than DAYS] [--dry-run]
      Crypto-shred sessions past retention, or ended sessions older than DAYS (0: all ended).
  kiosk vault delete RECEIPT-CODE [--pin PIN]
      Delete one customer's session on request (the operator PIN is needed once one is set).
  kiosk vault reprint RECEIPT-CODE [--pin PIN]
      Reprint a session's sheet within retention, on the configured photo printer.
  kiosk vault reset-key [--pin PIN]
      Only after the master key is lost (the booth then refuses to start): shred every session
      (the old key alone could read them), start a new key; audited.
  kiosk config show [--data-dir DIR]        Print the unit's effective config as JSON.
  kiosk config check FILE                   Validate a config file; name every wrong field.
  kiosk config set-pin PIN [--role operator|technician] [--data-dir DIR]
      Store a role's PIN (hashed; 4 to 12 digits; --role defaults to operator).
  kiosk check-photo FILE... [--spec DOC_ID] [--json]
      Check photos against a document's rules (default eu-passport): head pose, eyes, gaze,
      mouth, expression, lighting, exposure, sharpness, background, framing and pixels.
      --json: one JSON line per file. Exits 0 when all pass, 1 when any fails or is unreadable.
  kiosk make-photo FILE --spec DOC_ID --out DIR [--copies N] [--media 4x6|5x7|a6|2x6-strips] [--dpi N]
      Make the document's ID photo from a still: photo.jpg (exact print size at the dpi),
      sheet.jpg (N copies on the media; sheet-2.jpg... when they need more sheets) and
      digital.jpg (the authority's pixel and byte rules). Prints a JSON report with every rule
      measured on the result; exits 1 without writing files when a rule cannot be met.
  kiosk --version                           The version and the git commit (no booth needed).
  kiosk install-service [--user NAME] [--data-dir DIR] [--unit-path FILE] [--no-enable]
      Write the systemd unit (deploy/systemd/kiosk.service: Type=notify, watchdog, hardening) to
      /etc/systemd/system/kiosk.service for this checkout, user (default kiosk) and data dir
      (default /var/lib/idphoto-kiosk), then systemctl daemon-reload and enable. Refuses,
      writing nothing, without systemd or the user; --no-enable writes the file only.
  kiosk status [--json] [--data-dir DIR]
      The running booth's state and screen, out-of-service reason, maintenance, each device's
      health, prints left, takings since the cash box was emptied, prints owed, uptime.
  kiosk cash report [--json]                Takings since the last emptying, by coin and note.
  kiosk cash empty --counted N --pin-stdin
      The cash box was emptied and N (minor units) counted: closes the period; the Z-report is
      kept in the journal and printed on the receipt printer.
  kiosk media loaded --prints N --pin-stdin  Paper loaded for N prints (printers that cannot count).
  kiosk price set PRODUCT AMOUNT --pin-stdin
      A product's price in minor units: written to the config file, audited, applied between
      customers.
  kiosk owed list [--json]                  Prints owed to earlier customers (order, since, sheets, tries, error).
  kiosk owed retry ORDER --pin-stdin        Print what is owed now, if the printer is ready.
  kiosk owed give-up ORDER --as refund|voucher --pin-stdin
      Stop trying and hand the price back: coins from the hopper and the rest as a voucher
      (refund), or a voucher; the slip prints on the receipt printer. Journaled and audited.
      These act on the booth running on the data directory (kiosk start) through its control
      socket; exit 3 when none runs. Money and customer commands need the operator or
      technician PIN: --pin-stdin reads it from stdin, or set KIOSK_PIN (never on the command
      line). Wrong PINs count toward the same lock as the booth's PIN pad.
  kiosk diag health [--json]                The running booth's health checks (exit 1 when it fails).
  kiosk diag metrics                        Its Prometheus metrics, as the HTTPS /metrics gives them.
  kiosk diag logs [--level warn] [--follow] Its recent log lines (already scrubbed), and new ones as they come.
  kiosk diag bundle --out FILE              A support bundle (.tar.gz): no photos, receipt codes or secrets.
  kiosk diag token --pin-stdin              A new bearer token for the HTTPS diagnostics (technician PIN),
      shown once; only its hash is kept in the config.
  kiosk mail list [--json]                  Digital copies and contact requests in the outbox (waiting, or
      refused by the mail server), by message id; never an address.
  kiosk mail resend ID --pin-stdin          Try one now (after the operator fixed what the server refused).
  kiosk decommission begin [--notice-days N] --pin-stdin
      End of service (technician PIN): the booth shows "closing on <date>" for N days
      (endOfService.noticeDays), then takes no money, prints or pays back what is owed, sends
      what the outbox holds, destroys the vault (master key first) and keeps one audit line of
      counts. Resumed at the next start after a power cut; asking again changes nothing.
  kiosk decommission status [--json]        Where the end of service stands (closing, closed, decommissioned).
  kiosk help

The data directory holds all of a unit's state (config, journals, photos). It is chosen by
--data-dir, else KIOSK_DATA_DIR, else /var/lib/idphoto-kiosk (root) or ~/.local/state/idphoto-kiosk.
`;

/** A mistake in how the command was called: print it with the usage and exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
