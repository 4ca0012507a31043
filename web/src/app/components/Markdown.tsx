/** Guidelines in Markdown, rendered as React elements: raw HTML in the text is not rendered,
 * and links open outside the app; nothing becomes markup we did not build. */
import ReactMarkdown from 'react-markdown';

const SAFE_LINK = /^(https?:|mailto:)/i;

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        skipHtml
        urlTransform={(url) => (SAFE_LINK.test(url) ? url : '')}
        components={{ a: ({ href, children }) => <a href={href} target="_blank" rel="noopener noreferrer">{children}</a> }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
