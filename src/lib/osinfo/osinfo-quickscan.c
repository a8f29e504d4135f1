/*
 * The index's own XML scanner: it finds what the index needs in a
 * database file (osinfo-scan.h) by reading the text, without building a
 * tree, because building the index reads every OS file.  It handles the
 * XML osinfo-db writes and gives up (FALSE) on anything else, which
 * libxml2 then reads (vmi_os_xml_scan).  fuzz/fuzz-osinfo-scan.c holds it
 * to that: no input makes it crash, and what it accepts it reads as
 * libxml2 does.
 */
#include <string.h>
#include "osinfo-scan.h"

/* Decodes XML character data; FALSE when it holds something only a real
 * XML parser can resolve (a DTD entity, a raw line break). */
static gboolean
decode_text(const char *start, const char *end, gboolean attribute,
            char **out)
{
  GString *s = g_string_sized_new(end - start);

  for (const char *p = start; p < end; p++) {
    if (*p == '\r' || (!attribute && (*p == '\n' || *p == '\t'))) {
      g_string_free(s, TRUE);
      return FALSE;
    }
    if (*p == '\n' || *p == '\t') {
      /* attribute value normalisation */
      g_string_append_c(s, ' ');
      continue;
    }
    if (*p != '&') {
      g_string_append_c(s, *p);
      continue;
    }
    {
      const char *semi = memchr(p, ';', end - p);
      gsize n = semi ? (gsize)(semi - p - 1) : 0;
      const char *name = p + 1;

      if (!semi || n == 0) {
        g_string_free(s, TRUE);
        return FALSE;
      }
      if (n == 2 && strncmp(name, "lt", 2) == 0) {
        g_string_append_c(s, '<');
      } else if (n == 2 && strncmp(name, "gt", 2) == 0) {
        g_string_append_c(s, '>');
      } else if (n == 3 && strncmp(name, "amp", 3) == 0) {
        g_string_append_c(s, '&');
      } else if (n == 4 && strncmp(name, "quot", 4) == 0) {
        g_string_append_c(s, '"');
      } else if (n == 4 && strncmp(name, "apos", 4) == 0) {
        g_string_append_c(s, '\'');
      } else if (name[0] == '#' && n > 1) {
        g_autofree char *num = g_strndup(name + 1, n - 1);
        char *numend = NULL;
        guint64 cp;

        if (num[0] == 'x')
          cp = g_ascii_strtoull(num + 1, &numend, 16);
        else
          cp = g_ascii_strtoull(num, &numend, 10);
        if (!numend || *numend || numend == num || cp == 0 || cp > 0x10FFFF) {
          g_string_free(s, TRUE);
          return FALSE;
        }
        g_string_append_unichar(s, (gunichar)cp);
      } else {
        g_string_free(s, TRUE);
        return FALSE;
      }
      p = semi;
    }
  }
  *out = g_string_free(s, FALSE);
  return TRUE;
}

static const char *
find_str(const char *p, const char *end, const char *needle)
{
  gsize n = strlen(needle);

  for (; p + n <= end; p++) {
    p = memchr(p, needle[0], end - p);
    if (!p || p + n > end)
      return NULL;
    if (memcmp(p, needle, n) == 0)
      return p;
  }
  return NULL;
}

/* lang or xml:lang, as the record reader reads xml:lang */
static gboolean
is_lang_attr(const char *attr, gsize len)
{
  return vmi_os_name_is(attr, len, "lang") || vmi_os_name_is(attr, len, "xml:lang");
}

/* Namespaces are libxml2's to resolve: a prefixed name (but xml:lang,
 * which osinfo-db's translations carry) or a namespace declaration. */
static gboolean
needs_namespaces(const char *name, gsize len, gboolean attribute)
{
  if (!memchr(name, ':', len))
    return attribute && len >= 5 && memcmp(name, "xmlns", 5) == 0;
  return !attribute || !vmi_os_name_is(name, len, "xml:lang");
}

gboolean
vmi_os_quick_scan(const char *buf, gsize len, GPtrArray *oses)
{
  const char *p = buf;
  const char *end = buf + len;
  int depth = 0;
  VmiOsScannedOs *cur = NULL;
  VmiOsScannedTree *tree = NULL; /* the open <tree> of cur */
  gboolean in_treeinfo = FALSE;

  /* NUL bytes: a UTF-16 or UTF-32 file, which libxml2 reads */
  if (memchr(buf, '\0', len))
    return FALSE;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end) {
    const char *lt = memchr(p, '<', end - p);
    const char *name;
    gsize name_len;
    gboolean closing = FALSE;
    gboolean self_closing = FALSE;
    gboolean want_id = FALSE, want_arch = FALSE, want_lang = FALSE;
    gboolean has_lang = FALSE;
    int rel = -1;
    g_autofree char *id = NULL;
    g_autofree char *arch = NULL;

    if (!lt)
      break;
    p = lt;
    if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
      const char *q = find_str(p + 4, end, "-->");
      if (!q)
        return FALSE;
      p = q + 3;
      continue;
    }
    if (end - p >= 2 && p[1] == '?') {
      const char *q = find_str(p + 2, end, "?>");
      g_autofree char *decl = NULL;

      if (!q)
        return FALSE;
      decl = g_ascii_strdown(p, q - p);
      if (strstr(decl, "encoding") && !strstr(decl, "utf-8"))
        return FALSE;
      p = q + 2;
      continue;
    }
    if (end - p >= 2 && p[1] == '!')
      return FALSE; /* DOCTYPE or CDATA */

    p++;
    if (p < end && *p == '/') {
      closing = TRUE;
      p++;
    }
    name = p;
    while (p < end && !g_ascii_isspace(*p) && *p != '>' && *p != '/')
      p++;
    name_len = p - name;
    if (name_len == 0 || needs_namespaces(name, name_len, FALSE))
      return FALSE;

    /* the attributes that matter for this element */
    if (!closing && depth == 1) {
      want_id = vmi_os_name_is(name, name_len, "os");
    } else if (!closing && depth == 2 && cur) {
      rel = vmi_os_rel_kind(name, name_len);
      want_id = rel >= 0;
      want_arch = vmi_os_name_is(name, name_len, "tree");
      want_lang = vmi_os_name_is(name, name_len, "codename");
    }

    /* attributes: name = "value" | 'value' */
    for (;;) {
      const char *attr;
      gsize attr_len;
      char quote;
      const char *val;

      while (p < end && g_ascii_isspace(*p))
        p++;
      if (p >= end)
        return FALSE;
      if (*p == '>') {
        p++;
        break;
      }
      if (*p == '/') {
        if (p + 1 >= end || p[1] != '>')
          return FALSE;
        self_closing = TRUE;
        p += 2;
        break;
      }
      if (closing)
        return FALSE;
      attr = p;
      while (p < end && *p != '=' && !g_ascii_isspace(*p) && *p != '>')
        p++;
      attr_len = p - attr;
      if (needs_namespaces(attr, attr_len, TRUE))
        return FALSE;
      while (p < end && g_ascii_isspace(*p))
        p++;
      if (p >= end || *p != '=')
        return FALSE;
      p++;
      while (p < end && g_ascii_isspace(*p))
        p++;
      if (p >= end || (*p != '"' && *p != '\''))
        return FALSE;
      quote = *p++;
      val = p;
      p = memchr(p, quote, end - p);
      if (!p)
        return FALSE;
      if (want_id && vmi_os_name_is(attr, attr_len, "id")) {
        g_clear_pointer(&id, g_free);
        if (!decode_text(val, p, TRUE, &id))
          return FALSE;
      } else if (want_arch && vmi_os_name_is(attr, attr_len, "arch")) {
        g_clear_pointer(&arch, g_free);
        if (!decode_text(val, p, TRUE, &arch))
          return FALSE;
      } else if (want_lang && is_lang_attr(attr, attr_len)) {
        has_lang = TRUE;
      }
      p++;
    }

    if (closing) {
      depth--;
      if (depth < 0)
        return FALSE;
      if (depth <= 1)
        cur = NULL;
      if (depth <= 2)
        tree = NULL;
      if (depth <= 3)
        in_treeinfo = FALSE;
      continue;
    }

    if (depth == 1 && vmi_os_name_is(name, name_len, "os")) {
      cur = NULL;
      tree = NULL;
      in_treeinfo = FALSE;
      /* libosinfo refuses an <os> without id; so do we */
      if (id) {
        cur = vmi_os_scanned_os_new(g_steal_pointer(&id));
        g_ptr_array_add(oses, cur);
      }
    } else if (depth == 2 && cur && !self_closing &&
               vmi_os_name_is(name, name_len, "short-id")) {
      const char *text_end = memchr(p, '<', end - p);
      char *text = NULL;

      if (!text_end || end - text_end < 11 ||
          memcmp(text_end, "</short-id>", 11) != 0)
        return FALSE;
      if (!decode_text(p, text_end, FALSE, &text))
        return FALSE;
      /* an empty <short-id/> has no text child: libosinfo cannot use it */
      if (text[0])
        g_ptr_array_add(cur->short_ids, text);
      else
        g_free(text);
      p = text_end + 11;
      continue;
    } else if (depth == 2 && cur && rel >= 0) {
      /* libosinfo fails to load a relation without id; the record
       * reader reports that */
      if (id)
        g_ptr_array_add(cur->rels[rel], g_steal_pointer(&id));
    } else if (depth == 2 && cur && want_lang) {
      /* a translated codename: only the record reader, which knows the
       * user's languages, can tell */
      if (has_lang)
        cur->codename_unknown = TRUE;
      if (!cur->seen_codename && !self_closing) {
        const char *text_end = memchr(p, '<', end - p);

        if (!text_end)
          return FALSE;
        if (end - text_end >= 11 && memcmp(text_end, "</codename>", 11) == 0) {
          char *text = NULL;

          if (!decode_text(p, text_end, FALSE, &text))
            return FALSE;
          if (text[0])
            cur->codename = text;
          else
            g_free(text);
        } else {
          /* markup inside: the whole text is the record reader's job */
          cur->codename_unknown = TRUE;
        }
      }
      cur->seen_codename = TRUE;
    } else if (depth == 2 && cur && want_arch) {
      VmiOsScannedTree *t = g_new0(VmiOsScannedTree, 1);

      t->arch = g_steal_pointer(&arch);
      g_ptr_array_add(cur->trees, t);
      tree = self_closing ? NULL : t;
    } else if (depth == 3 && tree && !self_closing &&
               vmi_os_name_is(name, name_len, "treeinfo")) {
      in_treeinfo = TRUE;
    } else if (depth == 4 && in_treeinfo) {
      char **field = vmi_os_treeinfo_field(tree, name, name_len);

      /* libosinfo reads the first child of each element, if text */
      tree->has_treeinfo = TRUE;
      if (field && !self_closing) {
        const char *text_end = memchr(p, '<', end - p);
        char *text = NULL;

        if (!text_end)
          return FALSE;
        if (text_end > p) {
          if (!decode_text(p, text_end, FALSE, &text))
            return FALSE;
          g_free(*field);
          *field = text;
        }
      }
    }

    if (!self_closing)
      depth++;
  }
  return depth == 0;
}
