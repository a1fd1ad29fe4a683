// fupin's HTTP server: the JSON API under /api/v1 and the built web UI at /.
//
// Wraps cpp-httplib. Adds request logging (method, path without query string, status,
// duration — never bodies or query strings, which can carry personal data), security headers,
// a body-size limit, JSON errors for unknown API paths, and history-mode fallback to
// index.html for the web UI's routes. Stop() may be called from another thread: the server
// stops accepting, finishes in-flight requests, and Run() returns.
#pragma once

#include <memory>
#include <string>

#include "access/auth_service.h"
#include "base/error.h"
#include "http/router.h"

namespace fupin::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;       // 0 = any free port (see Server::port())
  std::string web_root;  // directory with the built web UI; "" = none
  size_t max_body_bytes = 64u << 20;
  int threads = 8;
  std::string tls_cert;  // PEM certificate (chain) file; with tls_key: serve HTTPS
  std::string tls_key;   // PEM private key file
};

// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "fupin_session";

class Server {
 public:
  // Routes that are not public authenticate through `auth`.
  Server(ServerOptions options, const Router& router, access::AuthService& auth);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // kInvalidArgument when the TLS certificate or key cannot be loaded.
  Status Valid() const;
  // Binds the address. kUnavailable when it is taken or not allowed.
  Status Bind();
  // The port actually bound (after Bind()).
  int port() const;
  // Serves until Stop(). Returns when the last in-flight request has finished.
  Status Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fupin::http
