return Ciem.Cli.CiemApp.Run(args);
