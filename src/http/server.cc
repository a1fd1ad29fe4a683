#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "http/error_response.h"
#include "security/crypto.h"

namespace fupin::http {
namespace {

// Start time of the request the current worker thread is handling (for the access log).
thread_local std::chrono::steady_clock::time_point request_start;

// "/api/v1/regions/{code}/children" → "/api/v1/regions/([^/]+)/children" and ["code"].
std::pair<std::string, std::vector<std::string>> CompilePattern(const std::string& pattern) {
  std::string regex;
  std::vector<std::string> names;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{') {
      const size_t end = pattern.find('}', i);
      names.push_back(pattern.substr(i + 1, end - i - 1));
      regex += "([^/]+)";
      i = end;
    } else if (std::string_view(".+*?()[]^$|\\").find(c) != std::string_view::npos) {
      regex += '\\';
      regex += c;
    } else {
      regex += c;
    }
  }
  return {regex, names};
}

void WriteJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<httplib::Server> owned;  // an httplib::SSLServer when serving HTTPS
  httplib::Server& server;
  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        owned(options.tls_cert.empty() ? std::make_unique<httplib::Server>()
                                       : std::make_unique<httplib::SSLServer>(
                                             options.tls_cert.c_str(), options.tls_key.c_str())),
        server(*owned) {}
  int bound_port = 0;
  std::string index_html;  // the web UI's entry page, for history-mode fallback
};

namespace {

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(const std::string& header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

// Authenticates and authorizes `request` for `access`; fills principal, scope and session.
Status Admit(const Access& access, access::AuthService& auth, ApiRequest& request,
             access::Principal& principal) {
  if (access.kind == Access::Kind::kPublic) return {};
  Result<access::Authenticated> who = Unauthenticated("sign in first");
  const auto bearer = request.headers.find("authorization");
  const std::string cookie = CookieValue(
      request.headers.contains("cookie") ? request.headers.at("cookie") : "", kSessionCookie);
  if (bearer != request.headers.end() && bearer->second.starts_with("Bearer ")) {
    who = auth.AuthenticateApiToken(bearer->second.substr(7));
  } else if (!cookie.empty()) {
    who = auth.AuthenticateSession(cookie);
    if (who) {
      request.session_token = cookie;
      request.csrf_token = who->csrf_token;
      // Browsers send the cookie by themselves; a state-changing request must also prove it
      // comes from our page by echoing the session's CSRF token.
      const bool safe = request.method == "GET" || request.method == "HEAD";
      const auto sent = request.headers.find("x-csrf-token");
      if (!safe && (sent == request.headers.end() ||
                    !security::ConstantTimeEquals(sent->second, who->csrf_token))) {
        return PermissionDenied("missing or wrong X-CSRF-Token header");
      }
    }
  }
  if (!who) return std::unexpected(who.error());
  principal = std::move(who->principal);
  request.principal = &principal;
  if (access.kind == Access::Kind::kSignedIn) return {};
  request.scope = principal.Scope(access.permission);
  if (access.own_household) request.households = principal.Households(access.permission);
  if (access.own_organization) {
    request.organizations = principal.Organizations(access.permission);
  }
  if (request.scope.empty() && request.households.empty() && request.organizations.empty()) {
    return PermissionDenied(fmt::format("your roles do not allow {} {}", access.permission.action,
                                        access.permission.module));
  }
  return {};
}

}  // namespace

Server::Server(ServerOptions options, const Router& router, access::AuthService& auth)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  httplib::Server& svr = impl_->server;
  const int threads = impl_->options.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  svr.set_payload_max_length(impl_->options.max_body_bytes);
  svr.set_read_timeout(std::chrono::seconds(30));
  svr.set_write_timeout(std::chrono::seconds(30));
  svr.set_keep_alive_timeout(5);
  svr.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"},
  });

  svr.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_start = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - request_start)
                            .count();
    // The path only: query strings and bodies may carry personal data.
    spdlog::info("{} {} {} {:.1f}ms", req.method, req.path, res.status, micros / 1000.0);
  });
  svr.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("{} {}: unhandled exception: {}", req.method, req.path, what);
        WriteJson(res, 500, ErrorBody(ErrorCode::kInternal, ""));
      });

  for (const Route& route : router.routes()) {
    auto [regex, names] = CompilePattern(route.pattern);
    ApiHandler handler = route.handler;
    const Access access = route.access;
    auto adapter = [handler, access, &auth, names = std::move(names)](const httplib::Request& req,
                                                                      httplib::Response& res) {
      ApiRequest request;
      request.method = req.method;
      request.path = req.path;
      for (size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i) {
        request.path_params[names[i]] = req.matches[i + 1].str();  // httplib decoded the path
      }
      for (const auto& [k, v] : req.params) request.query.emplace(k, v);
      for (const auto& [k, v] : req.headers) {
        std::string key = k;
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[key] = v;
      }
      request.body = req.body;
      request.remote_addr = req.remote_addr;
      access::Principal principal;
      Result<ApiResponse> result = [&]() -> Result<ApiResponse> {
        FUPIN_TRY(Admit(access, auth, request, principal));
        return handler(request);
      }();
      if (!result) {
        const Error& e = result.error();
        if (e.code == ErrorCode::kInternal || e.code == ErrorCode::kUnavailable) {
          spdlog::error("{} {}: {}", req.method, req.path, e.message);
        } else if (e.code == ErrorCode::kPermissionDenied) {
          spdlog::warn("{} {}: denied to {}: {}", req.method, req.path,
                       request.principal ? request.principal->name : "?", e.message);
        }
        for (const auto& [k, v] : ErrorHeaders(e)) res.set_header(k, v);
        WriteJson(res, HttpStatusFor(e.code), ErrorBody(e));
        return;
      }
      for (const auto& [k, v] : result->headers) res.set_header(k, v);
      if (result->status == 204) {
        res.status = 204;
      } else if (!result->content_type.empty()) {
        res.status = result->status;
        res.set_content(result->raw, result->content_type);
      } else {
        WriteJson(res, result->status, result->body);
      }
    };
    const std::string& m = route.method;
    if (m == "GET") {
      svr.Get(regex, adapter);
    } else if (m == "POST") {
      svr.Post(regex, adapter);
    } else if (m == "PUT") {
      svr.Put(regex, adapter);
    } else if (m == "PATCH") {
      svr.Patch(regex, adapter);
    } else if (m == "DELETE") {
      svr.Delete(regex, adapter);
    }
  }

  const std::string& web_root = impl_->options.web_root;
  if (!web_root.empty() && std::filesystem::is_regular_file(web_root + "/index.html")) {
    svr.set_mount_point("/", web_root);
    impl_->index_html = ReadWholeFile(web_root + "/index.html");
    svr.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
      // Vite puts a content hash in every asset name, so assets never change in place.
      if (req.path.starts_with("/assets/")) {
        res.set_header("Cache-Control", "public, max-age=31536000, immutable");
      } else {
        res.set_header("Cache-Control", "no-cache");
      }
    });
  }

  svr.set_error_handler([impl = impl_.get()](const httplib::Request& req, httplib::Response& res) {
    const bool api = req.path == "/api" || req.path.starts_with("/api/");
    if (res.status == 404 && !api && (req.method == "GET" || req.method == "HEAD") &&
        !impl->index_html.empty()) {
      // History-mode route of the web UI (e.g. /regions/6206…): the UI's router handles it.
      res.status = 200;
      res.set_header("Cache-Control", "no-cache");
      res.set_content(impl->index_html, "text/html; charset=utf-8");
      return;
    }
    if (!res.body.empty()) return;  // a handler already wrote its JSON error
    switch (res.status) {
      case 404:
        WriteJson(res, 404,
                  ErrorBody(ErrorCode::kNotFound, api ? "no such API endpoint" : "not found"));
        break;
      case 413:
        WriteJson(res, 413,
                  {{"error",
                    {{"code", "payload_too_large"},
                     {"message", "the request body is larger than the server accepts"},
                     {"details", nlohmann::json::array()}}}});
        break;
      default:
        if (res.status >= 400 && res.status < 500) {
          WriteJson(res, res.status, ErrorBody(ErrorCode::kInvalidArgument, "malformed request"));
        } else if (res.status >= 500) {
          WriteJson(res, res.status, ErrorBody(ErrorCode::kInternal, ""));
        }
    }
  });
}

Server::~Server() = default;

Status Server::Valid() const {
  if (!impl_->server.is_valid()) {
    return InvalidArgument(fmt::format("cannot load the TLS certificate {} or key {}",
                                       impl_->options.tls_cert, impl_->options.tls_key));
  }
  return {};
}

Status Server::Bind() {
  FUPIN_TRY(Valid());
  const auto& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(o.host);
    if (port < 0) return Unavailable(fmt::format("cannot bind {}: no free port", o.host));
  } else if (!impl_->server.bind_to_port(o.host, port)) {
    return Unavailable(
        fmt::format("cannot listen on {}:{} (in use, or not allowed)", o.host, port));
  }
  impl_->bound_port = port;
  return {};
}

int Server::port() const { return impl_->bound_port; }

Status Server::Run() {
  if (!impl_->server.listen_after_bind()) return Internal("the HTTP server stopped with an error");
  return {};
}

void Server::Stop() { impl_->server.stop(); }

}  // namespace fupin::http
