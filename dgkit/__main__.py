from dgkit.cli import main

raise SystemExit(main())
