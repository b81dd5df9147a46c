from datenwerkstatt.cli import main

raise SystemExit(main())
