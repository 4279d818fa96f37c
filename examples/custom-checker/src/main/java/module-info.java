/** An Overnight constraint checker: run only while a given host:port answers. */
module com.example.overnight.hostcheck {
  requires dev.overnight.api;

  exports com.example.overnight.hostcheck;

  provides dev.overnight.api.constraint.ConstraintCheckerProvider with
      com.example.overnight.hostcheck.HostReachableProvider;
}
